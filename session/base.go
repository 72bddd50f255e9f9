package session

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/credentials/ec2rolecreds"
	"github.com/aws/aws-sdk-go-v2/credentials/endpointcreds"
	"github.com/aws/aws-sdk-go-v2/credentials/processcreds"
	"github.com/aws/aws-sdk-go-v2/credentials/ssocreds"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/feature/ec2/imds"
	"github.com/aws/aws-sdk-go-v2/service/sso"
	"github.com/aws/aws-sdk-go-v2/service/ssooidc"

	"github.com/rolesw/rolesw/roles"
)

// ecsContainerHost is where AWS_CONTAINER_CREDENTIALS_RELATIVE_URI points.
const ecsContainerHost = "http://169.254.170.2"

// staticProvider turns Credentials into an SDK provider.
func staticProvider(c Credentials) aws.CredentialsProvider {
	return credentials.NewStaticCredentialsProvider(c.AccessKeyID, c.SecretAccessKey, c.SessionToken)
}

// fromAWS converts SDK credentials.
func fromAWS(a aws.Credentials) Credentials {
	c := Credentials{AccessKeyID: a.AccessKeyID, SecretAccessKey: a.SecretAccessKey, SessionToken: a.SessionToken}
	if a.CanExpire {
		c.Expires = a.Expires
	}
	return c
}

// baseCredentials fetches the plan's innermost credentials with the SDK's
// own provider for the source kind.
func (c *Client) baseCredentials(ctx context.Context, plan *roles.Plan, t stsTarget, sessionName string) (Credentials, error) {
	src := plan.Source
	kind, provider, err := c.baseProvider(src, t, sessionName)
	if err != nil {
		return Credentials{}, &SourceError{Profile: src.Profile, Kind: kind, Err: err}
	}
	a, err := provider.Retrieve(ctx)
	if err != nil {
		err = safeProviderError(err)
		if q, ok := provider.(*quietProcess); ok {
			if said := q.said(); said != "" {
				err = fmt.Errorf("%w; it said: %s", err, said)
			}
		}
		return Credentials{}, &SourceError{Profile: src.Profile, Kind: kind, Err: err}
	}
	if a.AccessKeyID == "" || a.SecretAccessKey == "" {
		return Credentials{}, &SourceError{Profile: src.Profile, Kind: kind, Err: errors.New("the provider returned no access key")}
	}
	creds := fromAWS(a)
	c.debugf("base credentials of %s (%s): %s", src.Profile, kind, creds)
	return creds, nil
}

// baseProvider picks the SDK provider of a source.
func (c *Client) baseProvider(src roles.Source, t stsTarget, sessionName string) (string, aws.CredentialsProvider, error) {
	switch src.Kind {
	case roles.SourceStatic:
		if src.AccessKeyID == "" || src.SecretAccessKey == "" {
			return "static keys", nil, errors.New("aws_access_key_id and aws_secret_access_key must both be set")
		}
		return "static keys", credentials.NewStaticCredentialsProvider(src.AccessKeyID, src.SecretAccessKey, src.SessionToken), nil
	case roles.SourceProcess:
		timeout := func(o *processcreds.Options) { o.Timeout = 2 * time.Minute }
		if c.opts.QuietProcess {
			return "credential_process", newQuietProcess(src.Process, timeout), nil
		}
		return "credential_process", processcreds.NewProvider(src.Process, timeout), nil
	case roles.SourceSSO:
		p, err := c.ssoProvider(src)
		return "SSO", p, err
	case roles.SourceWebIdentity:
		if src.WebIdentityRoleARN == "" {
			return "web identity", nil, errors.New("web_identity_token_file needs role_arn")
		}
		// AssumeRoleWithWebIdentity is unsigned: the token file is the
		// credential.
		client := c.stsClient(t, nil)
		return "web identity", stscreds.NewWebIdentityRoleProvider(client, src.WebIdentityRoleARN,
			stscreds.IdentityTokenFile(src.WebIdentityTokenFile), func(o *stscreds.WebIdentityRoleOptions) {
				o.RoleSessionName = sessionName
			}), nil
	case roles.SourceEnvironment:
		creds, ok, err := c.envCredentials()
		if err != nil {
			return "Environment", nil, err
		}
		if !ok {
			return "Environment", nil, errors.New("credential_source = Environment, but AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set")
		}
		return "Environment", staticProvider(creds), nil
	case roles.SourceEc2InstanceMetadata:
		return "Ec2InstanceMetadata", c.imdsProvider(), nil
	case roles.SourceEcsContainer:
		p, err := c.containerProvider()
		return "EcsContainer", p, err
	}
	return "none", nil, errors.New("the profile has no credentials: give it keys, credential_process, SSO settings, source_profile or credential_source")
}

// envCredentials reads the key pair of the environment, as the AWS CLI
// does: AWS_SECURITY_TOKEN before AWS_SESSION_TOKEN, and an id without a
// secret is an error rather than "no credentials".
func (c *Client) envCredentials() (Credentials, bool, error) {
	id, secret := c.env("AWS_ACCESS_KEY_ID"), c.env("AWS_SECRET_ACCESS_KEY")
	if id == "" {
		return Credentials{}, false, nil
	}
	if secret == "" {
		return Credentials{}, false, errors.New("AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not")
	}
	token := c.env("AWS_SECURITY_TOKEN")
	if token == "" {
		token = c.env("AWS_SESSION_TOKEN")
	}
	return Credentials{AccessKeyID: id, SecretAccessKey: secret, SessionToken: token}, true, nil
}

// ssoProvider is the SDK's SSO provider over the SSO token cache: with
// sso_session, the token of that session (refreshed through SSO OIDC);
// legacy profiles, the token cached under the start URL.
func (c *Client) ssoProvider(src roles.Source) (aws.CredentialsProvider, error) {
	s := src.SSO
	if s.AccountID == "" || s.RoleName == "" || s.Region == "" {
		return nil, errors.New("SSO needs sso_account_id, sso_role_name and sso_region (in the profile or its [sso-session])")
	}
	key := s.Session
	if key == "" {
		key = s.StartURL
	}
	if key == "" {
		return nil, errors.New("SSO needs sso_session or sso_start_url")
	}
	cachePath, err := c.ssoCachePath(key)
	if err != nil {
		return nil, err
	}
	portal := sso.New(sso.Options{Region: s.Region, HTTPClient: c.httpClient()})
	return ssocreds.New(portal, s.AccountID, s.RoleName, s.StartURL, func(o *ssocreds.Options) {
		o.CachedTokenFilepath = cachePath
		if s.Session != "" {
			oidc := ssooidc.New(ssooidc.Options{Region: s.Region, HTTPClient: c.httpClient()})
			o.SSOTokenProvider = ssocreds.NewSSOTokenProvider(oidc, cachePath)
		}
	}), nil
}

// ssoCachePath is ~/.aws/sso/cache/<sha1(key)>.json, the file `aws sso
// login` writes; HOME comes from Lookup so tests can point it elsewhere.
func (c *Client) ssoCachePath(key string) (string, error) {
	home := c.env("HOME")
	if home == "" {
		home = c.env("USERPROFILE")
	}
	if home == "" {
		h, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("find the SSO token cache: %w", err)
		}
		home = h
	}
	sum := sha1.Sum([]byte(key))
	return filepath.Join(home, ".aws", "sso", "cache", hex.EncodeToString(sum[:])+".json"), nil
}

// httpClient is Options.HTTPClient as the SDK's interface, nil when unset
// (a typed nil pointer would defeat the SDK's default).
func (c *Client) httpClient() interface {
	Do(*http.Request) (*http.Response, error)
} {
	if c.opts.HTTPClient == nil {
		return nil
	}
	return c.opts.HTTPClient
}

// imdsProvider reads the instance role's credentials from IMDS, at
// AWS_EC2_METADATA_SERVICE_ENDPOINT when set.
func (c *Client) imdsProvider() aws.CredentialsProvider {
	o := imds.Options{}
	if v := c.env("AWS_EC2_METADATA_SERVICE_ENDPOINT"); v != "" {
		o.Endpoint = v
	}
	if strings.EqualFold(c.env("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE"), "ipv6") {
		o.EndpointMode = imds.EndpointModeStateIPv6
	}
	if strings.EqualFold(c.env("AWS_EC2_METADATA_DISABLED"), "true") {
		o.ClientEnableState = imds.ClientDisabled
	}
	client := imds.New(o)
	return ec2rolecreds.New(func(o *ec2rolecreds.Options) { o.Client = client })
}

// containerProvider reads ECS/EKS container credentials from
// AWS_CONTAINER_CREDENTIALS_RELATIVE_URI or _FULL_URI, with the
// authorization token of AWS_CONTAINER_AUTHORIZATION_TOKEN(_FILE).
func (c *Client) containerProvider() (aws.CredentialsProvider, error) {
	var endpoint string
	if rel := c.env("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"); rel != "" {
		endpoint = ecsContainerHost + rel
	} else if full := c.env("AWS_CONTAINER_CREDENTIALS_FULL_URI"); full != "" {
		if err := checkContainerURL(full); err != nil {
			return nil, err
		}
		endpoint = full
	} else {
		return nil, errors.New("credential_source = EcsContainer, but neither AWS_CONTAINER_CREDENTIALS_RELATIVE_URI nor AWS_CONTAINER_CREDENTIALS_FULL_URI is set")
	}
	token, tokenFile := c.env("AWS_CONTAINER_AUTHORIZATION_TOKEN"), c.env("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE")
	return endpointcreds.New(endpoint, func(o *endpointcreds.Options) {
		if h := c.httpClient(); h != nil {
			o.HTTPClient = h
		}
		o.AuthorizationToken = token
		if tokenFile != "" {
			// The file wins over the plain token and is read on every
			// fetch, because the agent rotates it.
			o.AuthorizationTokenProvider = endpointcreds.TokenProviderFunc(func() (string, error) {
				b, err := os.ReadFile(tokenFile)
				if err != nil {
					return "", fmt.Errorf("read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: %w", err)
				}
				return strings.TrimSpace(string(b)), nil
			})
		}
	}), nil
}

// checkContainerURL allows plain http only to loopback and the ECS/EKS
// agent addresses, as the SDK does: credentials must not cross a network
// unencrypted.
func checkContainerURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return fmt.Errorf("AWS_CONTAINER_CREDENTIALS_FULL_URI %q is not a URL", raw)
	}
	if u.Scheme == "https" {
		return nil
	}
	host := u.Hostname()
	if host == "localhost" {
		return nil
	}
	ip := net.ParseIP(host)
	if ip != nil && (ip.IsLoopback() || ip.Equal(net.ParseIP("169.254.170.2")) || ip.Equal(net.ParseIP("169.254.170.23")) || ip.Equal(net.ParseIP("fd00:ec2::23"))) {
		return nil
	}
	return fmt.Errorf("AWS_CONTAINER_CREDENTIALS_FULL_URI %q: plain http is allowed only to loopback or the ECS/EKS agent addresses", raw)
}

// safeProviderError drops what a provider error may carry of a secret:
// processcreds quotes the whole output of a command whose JSON it could
// not parse, and that output holds the secret key.
func safeProviderError(err error) error {
	var pe *processcreds.ProviderError
	if errors.As(err, &pe) {
		var ee *exec.ExitError
		switch {
		case errors.As(err, &ee):
			return fmt.Errorf("the command exited with status %d", ee.ExitCode())
		case strings.Contains(pe.Err.Error(), "parse failed"):
			return errors.New("the command's output is not the JSON of credential_process (Version 1, AccessKeyId, SecretAccessKey)")
		case strings.Contains(pe.Err.Error(), "timed out"):
			return errors.New("the command did not finish in time")
		}
		return pe.Err
	}
	return err
}
