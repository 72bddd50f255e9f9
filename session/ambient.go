package session

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/feature/ec2/imds"
)

// expiryVars are the variables that announce when the environment's
// credentials expire, in the order rolesw trusts them: its own and the
// SDKs' convention, then granted, aws-sso-cli and awsume.
var expiryVars = []string{"AWS_CREDENTIAL_EXPIRATION", "AWS_SESSION_EXPIRATION", "AWS_SSO_SESSION_EXPIRATION", "AWSUME_EXPIRATION"}

// expiryLayouts are the time formats switchers write; the zone-less ones
// are local time (awsume writes its expiry that way).
var expiryLayouts = []struct {
	layout string
	local  bool
}{
	{time.RFC3339Nano, false},
	{"2006-01-02 15:04:05 -0700 MST", false},
	{"2006-01-02 15:04:05 -0700", false},
	{"2006-01-02T15:04:05-0700", false},
	{"2006-01-02T15:04:05.999999999", true},
	{"2006-01-02 15:04:05.999999999", true},
}

// parseExpiry reads an expiry variable's value; loc is the zone of values
// written without one.
func parseExpiry(v string, loc *time.Location) (time.Time, bool) {
	v = strings.TrimSpace(v)
	for _, l := range expiryLayouts {
		var t time.Time
		var err error
		if l.local {
			t, err = time.ParseInLocation(l.layout, v, loc)
		} else {
			t, err = time.Parse(l.layout, v)
		}
		if err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// ambientCreds are rolesw's own credentials and where they came from.
type ambientCreds struct {
	provider aws.CredentialsProvider // nil: none found
	source   string
	profile  string // the profile they came from ("" for the environment)
}

// ambientProfile is the profile the SDK would select: AWS_PROFILE,
// AWS_DEFAULT_PROFILE, else default.
func (c *Client) ambientProfile() string {
	return firstNonEmpty(c.env("AWS_PROFILE"), c.env("AWS_DEFAULT_PROFILE"), "default")
}

// credentialKeys are the profile keys that make the SDK look for
// credentials in a profile; a profile with none of them would send the SDK
// on to IMDS, which rolesw does not want on a laptop.
var credentialKeys = []string{"aws_access_key_id", "credential_process", "sso_session", "sso_start_url", "role_arn", "web_identity_token_file", "credential_source"}

// ambientCredentials finds rolesw's own credentials: the environment's key
// pair, else the selected profile resolved by the SDK's chain over the same
// files rolesw read.
func (c *Client) ambientCredentials(ctx context.Context) (ambientCreds, error) {
	creds, ok, err := c.envCredentials()
	if err != nil {
		return ambientCreds{source: "environment"}, err
	}
	if ok {
		return ambientCreds{provider: staticProvider(creds), source: "environment"}, nil
	}
	name := c.ambientProfile()
	p := c.profile(name)
	if p == nil {
		return ambientCreds{}, nil
	}
	has := false
	for _, k := range credentialKeys {
		if _, ok := p.Get(k); ok {
			has = true
		}
	}
	if !has {
		return ambientCreds{}, nil
	}
	paths := c.opts.Config.Paths
	opts := []func(*awsconfig.LoadOptions) error{
		awsconfig.WithSharedConfigProfile(name),
		awsconfig.WithSharedConfigFiles([]string{orDevNull(paths.Config)}),
		awsconfig.WithSharedCredentialsFiles([]string{orDevNull(paths.Credentials)}),
		awsconfig.WithRegion(c.region(p.Value("region"))),
	}
	if c.opts.HTTPClient != nil {
		opts = append(opts, awsconfig.WithHTTPClient(c.opts.HTTPClient))
	}
	if ep, _ := c.endpoint(name); ep != "" {
		opts = append(opts, awsconfig.WithBaseEndpoint(ep))
	}
	// IMDS only when the profile asks for it; otherwise a profile whose
	// source is missing would wait for a metadata service that is not there.
	if strings.TrimSpace(p.Value("credential_source")) == "Ec2InstanceMetadata" {
		if ep := c.env("AWS_EC2_METADATA_SERVICE_ENDPOINT"); ep != "" {
			opts = append(opts, awsconfig.WithEC2IMDSEndpoint(ep))
		}
	} else {
		opts = append(opts, awsconfig.WithEC2IMDSClientEnableState(imds.ClientDisabled))
	}
	cfg, err := awsconfig.LoadDefaultConfig(ctx, opts...)
	src := "profile " + name
	if err != nil {
		return ambientCreds{source: src, profile: name}, fmt.Errorf("profile %s: %w", name, err)
	}
	if cfg.Credentials == nil {
		return ambientCreds{}, nil
	}
	return ambientCreds{provider: cfg.Credentials, source: src, profile: name}, nil
}

// orDevNull stands in for "no file": the SDK would read its defaults for
// an empty list.
func orDevNull(path string) string {
	if path == "" {
		return os.DevNull
	}
	return path
}

// Ambient describes rolesw's own credentials: where they come from, when
// they expire and who they are. No credentials at all is not an error:
// HasCredentials is then false. A failure to fetch or identify them is
// reported in IdentityErr; the error result is only for a cancelled ctx.
func (c *Client) Ambient(ctx context.Context) (Ambient, error) {
	// The environment's part (markers, announced expiry) is the offline
	// answer; the credentials themselves are decided below.
	a := c.AmbientOffline()
	a.HasCredentials, a.Source, a.LongTerm = false, "", false

	amb, err := c.ambientCredentials(ctx)
	a.Source = amb.source
	if err != nil {
		a.HasCredentials = true
		a.IdentityErr = err
		return a, ctx.Err()
	}
	if amb.provider == nil {
		a.IdentityErr = ErrNoCredentials
		return a, nil
	}
	a.HasCredentials = true
	creds, err := amb.provider.Retrieve(ctx)
	if err != nil {
		a.IdentityErr = &SourceError{Profile: amb.profile, Kind: amb.source, Err: safeProviderError(err)}
		return a, ctx.Err()
	}
	a.LongTerm = creds.SessionToken == "" && !creds.CanExpire
	if a.Expires.IsZero() && creds.CanExpire {
		a.Expires, a.ExpirySource = creds.Expires, "credentials"
	}
	var region string
	if p := c.profile(c.ambientProfile()); p != nil {
		region = p.Value("region")
	}
	id, err := c.identify(ctx, c.target(c.ambientProfile(), region), staticProvider(fromAWS(creds)))
	if err != nil {
		a.IdentityErr = err
		if errors.Is(err, context.Canceled) {
			return a, ctx.Err()
		}
		return a, nil
	}
	a.Identity = id
	return a, nil
}
