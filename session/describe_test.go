package session

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/rolesw/rolesw/roles"
	"github.com/rolesw/rolesw/session/localsts"
)

// TestDescribeErrors drives STS failures through the real SDK and checks
// what a user reads: the refusal in plain words with a hint, and never a
// secret key or session token.
func TestDescribeErrors(t *testing.T) {
	// Faults outlive Reset, so every case gets its own server; the
	// expired credentials are issued by a server that trusts them.
	setup := func(t *testing.T) *localsts.Server {
		srv := startSTS(t)
		srv.AddRole(localsts.Role{ARN: roleA, Trust: func(caller string) bool { return false }})
		srv.AddRole(localsts.Role{ARN: roleB})
		return srv
	}
	srv := setup(t)
	expID, expSecret, expToken := srv.IssueExpired(roleC)

	cases := []struct {
		name    string
		role    string
		env     map[string]string
		source  roles.Source
		fault   *localsts.Fault
		timeout time.Duration
		want    []string
	}{
		{name: "access denied", role: roleA, source: staticSource(),
			want: []string{"STS refused AssumeRole of " + roleA + " (AccessDenied)", "trust policy"}},
		{name: "expired source", role: roleB,
			env:    map[string]string{"AWS_ACCESS_KEY_ID": expID, "AWS_SECRET_ACCESS_KEY": expSecret, "AWS_SESSION_TOKEN": expToken},
			source: roles.Source{Kind: roles.SourceEnvironment, Profile: "ci"},
			want:   []string{"(ExpiredToken)", "your source credentials for ci expired; refresh them (aws sso login --profile ci"}},
		{name: "http 500", role: roleB, source: staticSource(),
			fault: &localsts.Fault{Action: "AssumeRole", Kind: localsts.FaultHTTP500, Count: 3},
			want:  []string{"STS refused AssumeRole of " + roleB + " (InternalFailure)"}},
		{name: "throttled", role: roleB, source: staticSource(),
			fault: &localsts.Fault{Action: "AssumeRole", Kind: localsts.FaultThrottle, Count: 3},
			want:  []string{"(Throttling)", "try again"}},
		{name: "connection closed", role: roleB, source: staticSource(),
			fault: &localsts.Fault{Action: "AssumeRole", Kind: localsts.FaultClose, Count: 3},
			want:  []string{"cannot reach STS at http://127.0.0.1:"}},
		{name: "malformed answer", role: roleB, source: staticSource(),
			fault: &localsts.Fault{Action: "AssumeRole", Kind: localsts.FaultMalformed, Count: 3},
			want:  []string{" answered AssumeRole with something rolesw cannot read (HTTP 200)"}},
		{name: "deadline", role: roleB, source: staticSource(), timeout: 300 * time.Millisecond,
			fault: &localsts.Fault{Action: "AssumeRole", Kind: localsts.FaultSlow, Count: 3, Delay: time.Minute},
			want:  []string{"no answer from STS at http://127.0.0.1:", " in time"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := srv
			if tc.fault != nil {
				srv = setup(t)
				srv.Inject(*tc.fault)
			}
			c, log := newTestClient(t, srv, tc.env)
			plan := onePlan(tc.role)
			plan.Source = tc.source
			ctx := context.Background()
			if tc.timeout > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, tc.timeout)
				defer cancel()
			}
			start := time.Now()
			_, err := c.Assume(ctx, plan, Request{})
			if err == nil {
				t.Fatal("Assume succeeded")
			}
			if tc.timeout > 0 && time.Since(start) > 10*time.Second {
				t.Errorf("cancellation took %v", time.Since(start))
			}
			d := Describe(err)
			for _, w := range tc.want {
				if !strings.Contains(d, w) {
					t.Errorf("Describe =\n  %s\nwant it to contain\n  %s", d, w)
				}
			}
			assertNoSecret(t, "Describe", d, testSecret, expSecret, expToken)
			assertNoSecret(t, "error", err.Error(), testSecret, expSecret, expToken)
			assertNoSecret(t, "debug log", log.String(), testSecret, expSecret, expToken)
		})
	}
}

// TestDescribeHints covers the hints of codes localsts does not produce.
func TestDescribeHints(t *testing.T) {
	cases := []struct{ code, msg, want string }{
		{"SignatureDoesNotMatch", "Signature expired: 20310304T090000Z is now earlier than 20310304T095500Z", "clock is off"},
		{"SignatureDoesNotMatch", "The request signature we calculated does not match", "secret access key"},
		{"InvalidClientTokenId", "The security token included in the request is invalid.", "unknown to AWS or deactivated"},
		{"ExpiredTokenException", "Token expired", "expired; refresh them"},
		{"RequestExpired", "Request has expired", "expired; refresh them"},
		{"RegionDisabledException", "STS is not activated in this region", "activate STS"},
		{"ValidationError", "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.", "shorter duration"},
		{"AccessDenied", "MultiFactorAuthentication failed with invalid MFA one time pass code.", "MFA code"},
	}
	for _, tc := range cases {
		if got := hint(tc.code, tc.msg, "dev"); !strings.Contains(got, tc.want) {
			t.Errorf("hint(%s, %q) = %q, want %q in it", tc.code, tc.msg, got, tc.want)
		}
	}
}

// TestDescribeUnreachable: nothing listens at the endpoint.
func TestDescribeUnreachable(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + ln.Addr().String()
	ln.Close()
	c, _ := newTestClient(t, nil, map[string]string{"AWS_ENDPOINT_URL_STS": url})
	_, err = c.Assume(context.Background(), onePlan(roleA), Request{})
	if d := Describe(err); !strings.HasPrefix(d, "cannot reach STS at "+url) {
		t.Errorf("Describe = %q, want cannot reach STS at %s", d, url)
	}
}

// TestIdentify checks the caller identity and the failures shown as
// "identity unknown".
func TestIdentify(t *testing.T) {
	srv := startSTS(t)
	c, _ := newTestClient(t, srv, nil)
	keys := staticProvider(Credentials{AccessKeyID: testKeyID, SecretAccessKey: testSecret})
	id, err := c.identify(context.Background(), c.target("", "eu-central-1"), keys)
	if err != nil || id.ARN != userARN || id.Account != testAccount {
		t.Errorf("identify = %+v, %v; want %s", id, err, userARN)
	}
	if r := srv.Requests()[0].Region; r != "eu-central-1" {
		t.Errorf("GetCallerIdentity signed for %q, want eu-central-1", r)
	}

	// An endpoint that is not STS: a 404 page, then a 200 without an ARN.
	for name, body := range map[string]string{
		"404":    "",
		"no arn": `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Account>1</Account></GetCallerIdentityResult></GetCallerIdentityResponse>`,
	} {
		t.Run(name, func(t *testing.T) {
			other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if body == "" {
					http.NotFound(w, r)
					return
				}
				w.Header().Set("Content-Type", "text/xml")
				w.Write([]byte(body))
			}))
			defer other.Close()
			c, _ := newTestClient(t, nil, map[string]string{"AWS_ENDPOINT_URL_STS": other.URL})
			id, err := c.identify(context.Background(), c.target("", ""), keys)
			if err == nil || !id.Unknown() {
				t.Errorf("identify = %+v, %v; want an error and an unknown identity", id, err)
			}
			assertNoSecret(t, "Describe", Describe(err), testSecret)
		})
	}
}
