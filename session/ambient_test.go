package session

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rolesw/rolesw/config"
)

func TestAmbientEnvironment(t *testing.T) {
	srv := startSTS(t)
	local := time.Date(2031, 3, 4, 7, 30, 0, 0, time.UTC) // 12:30 at UTC+5
	cases := []struct {
		name       string
		env        map[string]string
		wantExp    time.Time
		wantSource string
	}{
		{"AWS_CREDENTIAL_EXPIRATION", map[string]string{"AWS_CREDENTIAL_EXPIRATION": "2031-03-04T11:00:00Z", "AWSUME_EXPIRATION": "2031-03-04T12:30:00"},
			time.Date(2031, 3, 4, 11, 0, 0, 0, time.UTC), "AWS_CREDENTIAL_EXPIRATION"},
		{"AWSUME_EXPIRATION is local time", map[string]string{"AWSUME_EXPIRATION": "2031-03-04T12:30:00"},
			local, "AWSUME_EXPIRATION"},
		{"aws-sso-cli format", map[string]string{"AWS_SSO_SESSION_EXPIRATION": "2031-03-04 11:00:00 +0100 CET"},
			time.Date(2031, 3, 4, 10, 0, 0, 0, time.UTC), "AWS_SSO_SESSION_EXPIRATION"},
		{"long-term keys", nil, time.Time{}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			env := map[string]string{"AWS_ACCESS_KEY_ID": testKeyID, "AWS_SECRET_ACCESS_KEY": testSecret, "ROLESW_PROFILE": "outer", "ROLESW_DEPTH": "2"}
			for k, v := range tc.env {
				env[k] = v
			}
			c, _ := newTestClient(t, srv, env)
			// A zone away from UTC, so local time is told apart from UTC.
			c.opts.Location = time.FixedZone("UTC+5", 5*3600)
			a, err := c.Ambient(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if !a.HasCredentials || a.Identity.ARN != userARN || a.IdentityErr != nil || a.Source != "environment" {
				t.Errorf("ambient %+v, want the user from the environment", a)
			}
			if !a.Expires.Equal(tc.wantExp) || a.ExpirySource != tc.wantSource {
				t.Errorf("expires %v from %q, want %v from %q", a.Expires, a.ExpirySource, tc.wantExp, tc.wantSource)
			}
			if !a.LongTerm {
				t.Error("keys without a session token should be long-term")
			}
			if a.Profile != "outer" || a.Depth != 2 {
				t.Errorf("subshell markers %q depth %d, want outer and 2", a.Profile, a.Depth)
			}
		})
	}
}

func TestAmbientNoCredentials(t *testing.T) {
	srv := startSTS(t)
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "config")
	os.WriteFile(cfgPath, []byte("[default]\nregion = eu-west-1\n"), 0o600)
	withDefault := config.New(config.Paths{Config: cfgPath}, []*config.Profile{
		{Name: "default", Keys: map[string]string{"region": "eu-west-1"}, File: cfgPath, Line: 1, InConfig: true},
	}, nil, nil)
	for name, cfg := range map[string]*config.Config{"no files": nil, "profile without credentials": withDefault} {
		t.Run(name, func(t *testing.T) {
			srv.Reset()
			c, _ := newTestClient(t, srv, nil)
			c.opts.Config = cfg
			a, err := c.Ambient(context.Background())
			if err != nil || a.HasCredentials || !errors.Is(a.IdentityErr, ErrNoCredentials) {
				t.Errorf("Ambient = %+v, %v; want no credentials and no error", a, err)
			}
			if len(srv.Requests()) != 0 {
				t.Error("STS was called without credentials")
			}
		})
	}
}

// TestAmbientProfile resolves the default profile through the SDK's
// chain over the same files.
func TestAmbientProfile(t *testing.T) {
	srv := startSTS(t)
	dir := t.TempDir()
	cfgPath, credPath := filepath.Join(dir, "config"), filepath.Join(dir, "credentials")
	os.WriteFile(cfgPath, []byte("[profile work]\nregion = eu-north-1\n"), 0o600)
	os.WriteFile(credPath, []byte("[work]\naws_access_key_id = "+testKeyID+"\naws_secret_access_key = "+testSecret+"\n"), 0o600)
	cfg := config.New(config.Paths{Config: cfgPath, Credentials: credPath}, []*config.Profile{
		{Name: "work", Keys: map[string]string{"region": "eu-north-1", "aws_access_key_id": testKeyID, "aws_secret_access_key": testSecret},
			File: cfgPath, Line: 1, InConfig: true, InCredentials: true},
	}, nil, nil)
	c, log := newTestClient(t, srv, map[string]string{"AWS_PROFILE": "work"})
	c.opts.Config = cfg
	a, err := c.Ambient(context.Background())
	if err != nil || !a.HasCredentials || a.Identity.ARN != userARN || a.Source != "profile work" {
		t.Fatalf("Ambient = %+v, %v; want %s from profile work", a, err, userARN)
	}
	if r := srv.Requests()[0].Region; r != "eu-north-1" {
		t.Errorf("GetCallerIdentity signed for %q, want the profile's eu-north-1", r)
	}
	assertNoSecret(t, "debug log", log.String(), testSecret)
}

// TestEndpoint checks the STS endpoint order of the SDK and the CLI.
func TestEndpoint(t *testing.T) {
	profiles := []*config.Profile{
		{Name: "svc", Keys: map[string]string{"services": "local", "endpoint_url": "http://127.0.0.1:3"}},
		{Name: "plain", Keys: map[string]string{"endpoint_url": "http://127.0.0.1:3"}},
		{Name: "ignore", Keys: map[string]string{"endpoint_url": "http://127.0.0.1:3", "ignore_configured_endpoint_urls": "true"}},
	}
	services := map[string]map[string]string{"local": {"sts": "\nendpoint_url = http://127.0.0.1:2", "s3": "\nendpoint_url = http://127.0.0.1:9"}}
	cfg := config.New(config.Paths{}, profiles, nil, services)
	cases := []struct {
		name, profile string
		env           map[string]string
		want          string
	}{
		{"service env wins", "svc", map[string]string{"AWS_ENDPOINT_URL_STS": "http://127.0.0.1:1", "AWS_ENDPOINT_URL": "http://127.0.0.1:4"}, "http://127.0.0.1:1"},
		{"global env skips services", "svc", map[string]string{"AWS_ENDPOINT_URL": "http://127.0.0.1:4"}, "http://127.0.0.1:4"},
		{"services section", "svc", nil, "http://127.0.0.1:2"},
		{"profile endpoint_url", "plain", nil, "http://127.0.0.1:3"},
		{"env ignore switch", "svc", map[string]string{"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "TRUE", "AWS_ENDPOINT_URL_STS": "http://127.0.0.1:1"}, ""},
		{"profile ignore switch", "ignore", map[string]string{"AWS_ENDPOINT_URL": "http://127.0.0.1:4"}, ""},
		{"nothing", "missing", nil, ""},
	}
	for _, tc := range cases {
		c := New(Options{Lookup: envMap(tc.env), Config: cfg})
		if got, _ := c.endpoint(tc.profile); got != tc.want {
			t.Errorf("%s: endpoint = %q, want %q", tc.name, got, tc.want)
		}
	}
	regions := []struct {
		flag    string
		env     map[string]string
		profile string
		want    string
	}{
		{"ap-south-1", map[string]string{"AWS_REGION": "eu-west-1"}, "us-east-2", "ap-south-1"},
		{"", map[string]string{"AWS_REGION": "eu-west-1", "AWS_DEFAULT_REGION": "eu-west-2"}, "us-east-2", "eu-west-1"},
		{"", map[string]string{"AWS_REGION": "", "AWS_DEFAULT_REGION": "eu-west-2"}, "us-east-2", "eu-west-2"},
		{"", nil, "us-east-2", "us-east-2"},
		{"", nil, "", "aws-global"},
	}
	for _, r := range regions {
		c := New(Options{Lookup: envMap(r.env), Region: r.flag})
		if got := c.region(r.profile); got != r.want {
			t.Errorf("region(flag %q, env %v, profile %q) = %q, want %q", r.flag, r.env, r.profile, got, r.want)
		}
	}
}

// An ambient profile that names a role is described, not assumed: no
// request reaches STS just to draw the header. A broken one says why.
func TestAmbientRoleAndBrokenProfiles(t *testing.T) {
	srv := startSTS(t)
	cfg := config.New(config.Paths{}, []*config.Profile{
		{Name: "base", Keys: map[string]string{"aws_access_key_id": testKeyID, "aws_secret_access_key": testSecret}},
		{Name: "prod", Keys: map[string]string{"role_arn": "arn:aws:iam::123456789012:role/P", "source_profile": "base"}},
		{Name: "broken", Keys: map[string]string{"role_arn": "arn:aws:iam::123456789012:role/P", "source_profile": "nowhere"}},
	}, nil, nil)
	for _, tt := range []struct {
		profile string
		want    string
		is      error
	}{
		{"prod", "profile prod: it names a role, which rolesw assumes only when you pick it", ErrRoleProfile},
		{"broken", `The source_profile "nowhere" referenced in the profile "broken" does not exist.`, nil},
	} {
		t.Run(tt.profile, func(t *testing.T) {
			srv.Reset()
			c, _ := newTestClient(t, srv, map[string]string{"AWS_PROFILE": tt.profile})
			c.opts.Config = cfg
			a, err := c.Ambient(context.Background())
			if err != nil || !a.HasCredentials || a.IdentityErr == nil || a.Source != "profile "+tt.profile {
				t.Fatalf("Ambient = %+v, %v", a, err)
			}
			if !strings.HasPrefix(a.IdentityErr.Error(), tt.want) || (tt.is != nil && !errors.Is(a.IdentityErr, tt.is)) {
				t.Errorf("IdentityErr = %q, want %q", a.IdentityErr, tt.want)
			}
			if n := len(srv.Requests()); n != 0 {
				t.Errorf("%d requests reached STS to draw the header", n)
			}
		})
	}
}
