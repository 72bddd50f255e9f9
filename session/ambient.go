package session

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/rolesw/rolesw/roles"
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

// ErrRoleProfile is the identity error of an ambient profile that names a
// role: rolesw does not assume a role just to show who you are.
var ErrRoleProfile = errors.New("it names a role, which rolesw assumes only when you pick it")

// ambientCredentials finds rolesw's own credentials: the environment's key
// pair, else the selected profile (AWS_PROFILE, AWS_DEFAULT_PROFILE,
// default) resolved by rolesw's own planner over the files it read, with
// the same SDK providers an assume uses. The SDK's config loader would parse
// the files again, differently from the AWS CLI, and at 20,000 profiles
// hold tens of MB for a header line.
func (c *Client) ambientCredentials(ctx context.Context) (ambientCreds, error) {
	creds, ok, err := c.envCredentials()
	if err != nil {
		return ambientCreds{source: "environment"}, err
	}
	if ok {
		return ambientCreds{provider: staticProvider(creds), source: "environment"}, nil
	}
	cfg := c.opts.Config
	name := c.ambientProfile()
	if cfg == nil {
		return ambientCreds{}, nil
	}
	if _, ok := cfg.Profile(name); !ok {
		return ambientCreds{}, nil
	}
	src := "profile " + name
	plan, err := roles.Resolve(cfg, name, roles.Inputs{EnvHasSessionToken: c.env("AWS_SESSION_TOKEN") != ""})
	switch {
	case errors.Is(err, roles.ErrNotAssumable):
		// A profile with only settings (region, output) holds no
		// credentials: the header says "no credentials", not an error.
		return ambientCreds{}, nil
	case err != nil:
		return ambientCreds{source: src, profile: name}, err
	case len(plan.Hops) > 0:
		return ambientCreds{source: src, profile: name}, fmt.Errorf("profile %s: %w", name, ErrRoleProfile)
	}
	kind, provider, err := c.baseProvider(plan.Source, c.target(name, plan.Region), roles.DefaultSessionName(c.user(), c.opts.Now()))
	if err != nil {
		return ambientCreds{source: src, profile: name}, &SourceError{Profile: name, Kind: kind, Err: err}
	}
	return ambientCreds{provider: provider, source: src, profile: name}, nil
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
