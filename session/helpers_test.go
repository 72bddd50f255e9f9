package session

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rolesw/rolesw/roles"
	"github.com/rolesw/rolesw/session/localsts"
)

// The test user's long-term key. The secret must never show up in any
// error, description or log.
const (
	testAccount = "111111111111"
	testKeyID   = "AKIATESTUSER0000DEV1"
	testSecret  = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYTESTSECRET"
	userARN     = "arn:aws:iam::111111111111:user/dev"
)

// fixedNow is the clock of the STS and the client in most tests.
var fixedNow = time.Date(2031, 3, 4, 10, 0, 0, 0, time.UTC)

// startSTS runs a loopback STS with the test user.
func startSTS(t testing.TB) *localsts.Server {
	t.Helper()
	srv, err := localsts.Start(localsts.Options{Now: func() time.Time { return fixedNow }, Account: testAccount})
	if err != nil {
		t.Fatalf("start localsts: %v", err)
	}
	t.Cleanup(func() { srv.Close() })
	srv.AddUser(localsts.User{Name: "dev", Account: testAccount, AccessKeyID: testKeyID, SecretAccessKey: testSecret})
	return srv
}

// envMap is a Lookup over a fixed map, so tests never read the real
// environment.
func envMap(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) {
		v, ok := m[k]
		return v, ok
	}
}

// syncBuffer is a debug log safe for the SDK's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// newTestClient is a Client pointed at srv through AWS_ENDPOINT_URL_STS,
// with a fixed user and clock; extra adds or overrides variables.
func newTestClient(t testing.TB, srv *localsts.Server, extra map[string]string) (*Client, *syncBuffer) {
	t.Helper()
	env := map[string]string{"USER": "tester", "HOME": t.TempDir()}
	if srv != nil {
		env["AWS_ENDPOINT_URL_STS"] = srv.URL()
	}
	for k, v := range extra {
		env[k] = v
	}
	log := &syncBuffer{}
	c := New(Options{
		Lookup: envMap(env),
		Now:    func() time.Time { return fixedNow },
		Debug:  log,
	})
	return c, log
}

// staticSource is the test user's keys as a plan source.
func staticSource() roles.Source {
	return roles.Source{Kind: roles.SourceStatic, Profile: "dev", AccessKeyID: testKeyID, SecretAccessKey: testSecret}
}

// openBounds are the bounds of a role with a 12h maximum.
func openBounds() roles.Bounds {
	lo := roles.Bound{Kind: roles.BoundFloor, Seconds: 900, Reason: "the STS minimum"}
	hi := roles.Bound{Kind: roles.BoundCeiling, Seconds: 43200, Reason: "the STS maximum"}
	return roles.Bounds{Min: lo, Max: hi, All: []roles.Bound{lo, hi}}
}

// chainBounds are the bounds of a chained last hop.
func chainBounds() roles.Bounds {
	b := openBounds()
	b.Max = roles.Bound{Kind: roles.BoundChaining, Seconds: 3600, Reason: "role chaining is capped at 1h by STS"}
	b.All = append(b.All, b.Max)
	return b
}

// onePlan is a one-hop plan from the test user's keys.
func onePlan(roleARN string) *roles.Plan {
	return &roles.Plan{
		Profile: "prod",
		Source:  staticSource(),
		Hops:    []roles.Hop{{Profile: "prod", RoleARN: roleARN}},
		Bounds:  openBounds(),
		Default: time.Hour,
	}
}

// assertNoSecret fails when any text holds one of the secrets.
func assertNoSecret(t testing.TB, what, text string, secrets ...string) {
	t.Helper()
	for _, s := range secrets {
		if s != "" && strings.Contains(text, s) {
			t.Errorf("%s leaks a secret (%s…): %s", what, s[:4], text)
		}
	}
}
