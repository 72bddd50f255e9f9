package session

import (
	"cmp"
	"context"
	"errors"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rolesw/rolesw/roles"
	"github.com/rolesw/rolesw/session/localsts"
)

const (
	roleA = "arn:aws:iam::222222222222:role/DevAdmin"
	roleB = "arn:aws:iam::333333333333:role/Ops"
	roleC = "arn:aws:iam::444444444444:role/ProductionAccessRole"
	mfaSN = "arn:aws:iam::111111111111:mfa/dev"
)

// TestAssumeThreeHops checks every parameter of every hop of a chain and
// that each hop is signed by the previous hop's credentials.
func TestAssumeThreeHops(t *testing.T) {
	srv := startSTS(t)
	var mu sync.Mutex
	callers := map[string]string{}
	trust := func(role string) func(string) bool {
		return func(caller string) bool {
			mu.Lock()
			defer mu.Unlock()
			callers[role] = caller
			return true
		}
	}
	srv.AddRole(localsts.Role{ARN: roleA, ExternalID: "ext-1234", Trust: trust(roleA)})
	srv.AddRole(localsts.Role{ARN: roleB, MFASerial: mfaSN, Trust: trust(roleB)})
	srv.AddRole(localsts.Role{ARN: roleC, Trust: trust(roleC)})
	srv.SetMFACode(mfaSN, "123456")
	c, _ := newTestClient(t, srv, nil)

	plan := &roles.Plan{
		Profile: "prod",
		Region:  "eu-west-1",
		Source:  staticSource(),
		Hops: []roles.Hop{
			{Profile: "devadmin", RoleARN: roleA, ExternalID: "ext-1234"},
			{Profile: "ops", RoleARN: roleB, MFASerial: mfaSN, RoleSessionName: "ops-session", DurationSeconds: 3600, Chained: true},
			{Profile: "prod", RoleARN: roleC, SourceIdentity: "alice", Chained: true},
		},
		Bounds:  chainBounds(),
		Default: time.Hour,
	}
	var asked []string
	req := Request{
		Duration: 45 * time.Minute,
		MFACode: func(_ context.Context, serial string) (string, error) {
			asked = append(asked, serial)
			return "123456", nil
		},
	}
	res, err := c.Assume(context.Background(), plan, req)
	if err != nil {
		t.Fatalf("Assume: %v", err)
	}

	generated := "rolesw-tester-" + strconv.FormatInt(fixedNow.Unix(), 10)
	reqs := srv.Requests()
	if len(reqs) != 3 {
		t.Fatalf("STS saw %d requests, want 3", len(reqs))
	}
	type want struct {
		role, session, external, serial, code, duration, source string
		token                                                   bool
	}
	wants := []want{
		{role: roleA, session: generated, external: "ext-1234"},
		{role: roleB, session: "ops-session", serial: mfaSN, code: "******", duration: "3600", token: true},
		{role: roleC, session: generated, duration: "2700", source: "alice", token: true},
	}
	for i, w := range wants {
		r := reqs[i]
		p := r.Params
		if r.Action != "AssumeRole" || r.Err != "" {
			t.Errorf("hop %d: %s answered %q", i, r.Action, r.Err)
		}
		checks := []struct{ name, got, want string }{
			{"RoleArn", p.Get("RoleArn"), w.role},
			{"RoleSessionName", p.Get("RoleSessionName"), w.session},
			{"ExternalId", p.Get("ExternalId"), w.external},
			{"SerialNumber", p.Get("SerialNumber"), w.serial},
			{"TokenCode", p.Get("TokenCode"), w.code},
			{"DurationSeconds", p.Get("DurationSeconds"), w.duration},
			{"SourceIdentity", p.Get("SourceIdentity"), w.source},
		}
		for _, ch := range checks {
			if ch.got != ch.want {
				t.Errorf("hop %d %s = %q, want %q", i, ch.name, ch.got, ch.want)
			}
		}
		if _, sent := p["DurationSeconds"]; w.duration == "" && sent {
			t.Errorf("hop %d sent DurationSeconds without duration_seconds; the CLI omits it", i)
		}
		if r.SessionToken != w.token {
			t.Errorf("hop %d session token sent = %v, want %v", i, r.SessionToken, w.token)
		}
		if r.Region != "eu-west-1" {
			t.Errorf("hop %d signed for region %q, want the profile's eu-west-1", i, r.Region)
		}
	}
	// Signing: hop 1 by the user's key, each later hop by a key STS
	// issued for the previous hop's role (the trust policy saw it).
	if reqs[0].AccessKeyID != testKeyID {
		t.Errorf("hop 0 signed by %s, want the source key %s", reqs[0].AccessKeyID, testKeyID)
	}
	for i := 1; i < 3; i++ {
		if _, issued := srv.Credentials(reqs[i].AccessKeyID); !issued || reqs[i].AccessKeyID == reqs[i-1].AccessKeyID {
			t.Errorf("hop %d signed by %s, want a fresh key of hop %d", i, reqs[i].AccessKeyID, i-1)
		}
	}
	if got := callers[roleB]; !strings.Contains(got, ":assumed-role/DevAdmin/") {
		t.Errorf("Ops was assumed by %q, want the DevAdmin session", got)
	}
	if got := callers[roleC]; !strings.Contains(got, ":assumed-role/Ops/ops-session") {
		t.Errorf("ProductionAccessRole was assumed by %q, want the Ops session", got)
	}
	if len(asked) != 1 || asked[0] != mfaSN {
		t.Errorf("MFA asked for %v, want once for %s", asked, mfaSN)
	}

	wantARN := "arn:aws:sts::444444444444:assumed-role/ProductionAccessRole/" + generated
	if res.AssumedRoleARN != wantARN || res.RoleARN != roleC || res.Profile != "prod" || res.Region != "eu-west-1" {
		t.Errorf("result = %+v, want %s as %s in eu-west-1", res, roleC, wantARN)
	}
	if res.Granted != 45*time.Minute || !res.Credentials.Expires.Equal(fixedNow.Add(45*time.Minute)) {
		t.Errorf("granted %v until %v, want 45m until %v", res.Granted, res.Credentials.Expires, fixedNow.Add(45*time.Minute))
	}
	if res.Credentials.AccessKeyID != reqs[2].AccessKeyID && res.Credentials.SessionToken == "" {
		t.Errorf("result credentials incomplete: %v", res.Credentials)
	}
	if res.LearnedMaxSeconds != 0 {
		t.Errorf("LearnedMaxSeconds = %d without a refusal", res.LearnedMaxSeconds)
	}
}

// TestAssumeRequestOverrides checks --session-name and --source-identity
// win over the profiles' values on every hop, and the plan default.
func TestAssumeRequestOverrides(t *testing.T) {
	srv := startSTS(t)
	srv.AddRole(localsts.Role{ARN: roleA, MaxSessionDuration: 2 * time.Hour})
	c, _ := newTestClient(t, srv, nil)
	plan := onePlan(roleA)
	plan.Hops[0].RoleSessionName = "from-profile"
	plan.Hops[0].SourceIdentity = "profile-id"
	plan.Default = 90 * time.Minute
	res, err := c.Assume(context.Background(), plan, Request{SessionName: "cli-name", SourceIdentity: "cli-id"})
	if err != nil {
		t.Fatalf("Assume: %v", err)
	}
	p := srv.Requests()[0].Params
	if p.Get("RoleSessionName") != "cli-name" || p.Get("SourceIdentity") != "cli-id" || p.Get("DurationSeconds") != "5400" {
		t.Errorf("sent %v, want cli-name, cli-id and the plan default 5400", p)
	}
	if res.Granted != 90*time.Minute || res.Region != "" {
		t.Errorf("granted %v region %q, want 1h30m and no region (global endpoint)", res.Granted, res.Region)
	}
	if r := srv.Requests()[0].Region; r != "us-east-1" {
		t.Errorf("signed for %q; with no region the global endpoint's us-east-1 is expected", r)
	}
}

// TestAssumeRefusedBeforeSTS checks what is refused without a request.
func TestAssumeRefusedBeforeSTS(t *testing.T) {
	srv := startSTS(t)
	srv.AddRole(localsts.Role{ARN: roleA})
	chained := onePlan(roleA)
	chained.Bounds = chainBounds()
	chained.Hops[0].Chained = true
	mfa := onePlan(roleA)
	mfa.Hops[0].MFASerial = mfaSN
	cases := []struct {
		name string
		plan *roles.Plan
		req  Request
		want string
	}{
		{"chaining 2h", chained, Request{Duration: 2 * time.Hour}, "role chaining"},
		{"below floor", onePlan(roleA), Request{Duration: 10 * time.Minute}, "less than 15m"},
		{"bad session name", onePlan(roleA), Request{SessionName: "a b"}, "session name"},
		{"aws: source identity", onePlan(roleA), Request{SourceIdentity: "aws:me"}, "aws:"},
		{"mfa without code", mfa, Request{}, "--mfa-code"},
		{"mfa code not 6 digits", mfa, Request{MFACode: func(context.Context, string) (string, error) { return "12ab56", nil }}, "6 digits"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv.Reset()
			c, _ := newTestClient(t, srv, nil)
			_, err := c.Assume(context.Background(), tc.plan, tc.req)
			if err == nil || !strings.Contains(Describe(err), tc.want) {
				t.Fatalf("error %v, want one mentioning %q", err, tc.want)
			}
			if n := srv.Count("AssumeRole"); n != 0 {
				t.Errorf("%d AssumeRole requests reached STS, want 0", n)
			}
			if strings.Contains(Describe(err), "12ab56") {
				t.Errorf("the MFA code is in the error: %s", Describe(err))
			}
		})
	}
	var be *roles.BoundError
	c, _ := newTestClient(t, srv, nil)
	if _, err := c.Assume(context.Background(), chained, Request{Duration: 2 * time.Hour}); !errors.As(err, &be) {
		t.Errorf("bound refusal is %T, want *roles.BoundError", err)
	}
}

// TestAssumeChainingRefusedBySTS: when the plan does not know the caller is
// a role session, STS refuses 2h with the chaining message, and rolesw
// does not mistake it for a role maximum to learn.
func TestAssumeChainingRefusedBySTS(t *testing.T) {
	srv := startSTS(t)
	srv.AddRole(localsts.Role{ARN: roleA, MaxSessionDuration: 4 * time.Hour})
	id, secret, token := srv.Issue(roleB, "earlier", fixedNow.Add(-time.Minute), fixedNow.Add(time.Hour))
	c, _ := newTestClient(t, srv, map[string]string{"AWS_ACCESS_KEY_ID": id, "AWS_SECRET_ACCESS_KEY": secret, "AWS_SESSION_TOKEN": token})
	plan := onePlan(roleA)
	plan.Source = roles.Source{Kind: roles.SourceEnvironment, Profile: "chain"}
	_, err := c.Assume(context.Background(), plan, Request{Duration: 2 * time.Hour})
	if err == nil {
		t.Fatal("STS granted 2h to a role session")
	}
	d := Describe(err)
	if !strings.Contains(d, "ValidationError") || !strings.Contains(d, "1h or less") {
		t.Errorf("Describe = %q, want the chaining refusal and its hint", d)
	}
	if n := srv.Count("AssumeRole"); n != 1 {
		t.Errorf("%d AssumeRole requests, want 1 (no learning retry for chaining)", n)
	}
	assertNoSecret(t, "Describe", d+err.Error(), secret, token)
}

// TestAssumeLearnsRoleMax: a 2h role asked for 4h is granted 2h after
// stepping down an hour at a time, and the maximum is stored.
func TestAssumeLearnsRoleMax(t *testing.T) {
	srv := startSTS(t)
	srv.AddRole(localsts.Role{ARN: roleA, MaxSessionDuration: 2 * time.Hour})
	dir := t.TempDir()
	c, _ := newTestClient(t, srv, nil)
	c.opts.Store = OpenStore(dir, func() time.Time { return fixedNow })
	res, err := c.Assume(context.Background(), onePlan(roleA), Request{Duration: 4 * time.Hour})
	if err != nil {
		t.Fatalf("Assume: %v", err)
	}
	if res.Granted != 2*time.Hour || res.LearnedMaxSeconds != 7200 {
		t.Errorf("granted %v learned %d, want 2h and 7200", res.Granted, res.LearnedMaxSeconds)
	}
	if !res.Credentials.Expires.Equal(fixedNow.Add(2 * time.Hour)) {
		t.Errorf("credentials expire %v, want %v", res.Credentials.Expires, fixedNow.Add(2*time.Hour))
	}
	var asked []string
	for _, r := range srv.Requests() {
		asked = append(asked, r.Params.Get("DurationSeconds"))
	}
	if strings.Join(asked, ",") != "14400,10800,7200" {
		t.Errorf("durations asked %v, want 14400,10800,7200", asked)
	}
	again := OpenStore(dir, time.Now)
	if w := again.Load(); len(w) != 0 {
		t.Errorf("reloading the store warned: %v", w)
	}
	if got := again.Maxima()[roleA]; got != 7200 {
		t.Errorf("a new store reads max %d for %s, want 7200", got, roleA)
	}

	// A role whose maximum is the default 1h refuses 2h; rolesw steps to
	// 1h and stops there.
	srv.AddRole(localsts.Role{ARN: roleB})
	res, err = c.Assume(context.Background(), onePlan(roleB), Request{Duration: 2 * time.Hour})
	if err != nil || res.Granted != time.Hour || res.LearnedMaxSeconds != 3600 {
		t.Errorf("1h role: %v, %+v; want 1h granted and learned", err, res)
	}
}

// TestAssumeLearnsMaxWithSingleUseMFA: an MFA role asked for more than it
// allows. An STS that does not spend a refused code takes the same code
// on the retry; one that does (real MFA codes are one-time) makes rolesw
// ask for the device's next code, saying why, or stop with words that say
// what happened when it cannot ask.
func TestAssumeLearnsMaxWithSingleUseMFA(t *testing.T) {
	start := func(t *testing.T, singleUse bool) *localsts.Server {
		srv, err := localsts.Start(localsts.Options{Now: func() time.Time { return fixedNow }, Account: testAccount, SingleUseMFA: singleUse})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { srv.Close() })
		srv.AddUser(localsts.User{Name: "dev", Account: testAccount, AccessKeyID: testKeyID, SecretAccessKey: testSecret})
		srv.AddRole(localsts.Role{ARN: roleA, MFASerial: mfaSN, MaxSessionDuration: 2 * time.Hour})
		srv.SetMFACode(mfaSN, "111111")
		return srv
	}
	plan := func() *roles.Plan {
		p := onePlan(roleA)
		p.Hops[0].MFASerial = mfaSN
		return p
	}
	sent := func(srv *localsts.Server) string {
		var got []string
		for _, r := range srv.Requests() {
			got = append(got, r.Params.Get("DurationSeconds")+"/"+cmp.Or(r.Err, "ok"))
		}
		return strings.Join(got, " ")
	}
	first := func(context.Context, string) (string, error) { return "111111", nil }

	t.Run("code kept", func(t *testing.T) {
		srv := start(t, false)
		c, _ := newTestClient(t, srv, nil)
		res, err := c.Assume(context.Background(), plan(), Request{Duration: 4 * time.Hour, MFACode: first,
			NewMFACode: func(context.Context, MFAAsk) (string, error) {
				t.Error("asked for a new code although STS took the first one again")
				return "", errors.New("no")
			}})
		if err != nil || res.LearnedMaxSeconds != 7200 {
			t.Fatalf("Assume: %v, %+v", err, res)
		}
		if got := sent(srv); got != "14400/ValidationError 10800/ValidationError 7200/ok" {
			t.Errorf("requests %s", got)
		}
	})

	t.Run("next code asked", func(t *testing.T) {
		srv := start(t, true)
		c, _ := newTestClient(t, srv, nil)
		var whys []string
		next := 222222
		res, err := c.Assume(context.Background(), plan(), Request{Duration: 4 * time.Hour, MFACode: first,
			NewMFACode: func(_ context.Context, ask MFAAsk) (string, error) {
				if ask.Serial != mfaSN || ask.Next != ask.Refused-time.Hour {
					t.Errorf("asked %+v", ask)
				}
				whys = append(whys, ask.Why)
				code := strconv.Itoa(next)
				srv.SetMFACode(mfaSN, code)
				next += 111111
				return code, nil
			}})
		if err != nil || res.LearnedMaxSeconds != 7200 || res.Granted != 2*time.Hour {
			t.Fatalf("Assume: %v, %+v", err, res)
		}
		// 4h refused (code spent), 3h with the spent code refused, 3h with
		// the next code refused as too long, 2h with a third code granted.
		if got := sent(srv); got != "14400/ValidationError 10800/AccessDenied 10800/ValidationError 7200/ok" {
			t.Errorf("requests %s", got)
		}
		want := []string{
			"DevAdmin allows less than 4h; STS takes each MFA code once, so trying 3h needs the next code",
			"DevAdmin allows less than 3h; STS takes each MFA code once, so trying 2h needs the next code",
		}
		if strings.Join(whys, "|") != strings.Join(want, "|") {
			t.Errorf("reasons given:\n%s\nwant:\n%s", strings.Join(whys, "\n"), strings.Join(want, "\n"))
		}
	})

	t.Run("cannot ask", func(t *testing.T) {
		srv := start(t, true)
		c, _ := newTestClient(t, srv, nil)
		_, err := c.Assume(context.Background(), plan(), Request{Duration: 4 * time.Hour, MFACode: first})
		var spent *MFASpentError
		if !errors.As(err, &spent) {
			t.Fatalf("got %v, want an MFASpentError", err)
		}
		want := "STS refused 4h for " + roleA + ": it is above the role's maximum session, and STS takes each MFA code once, " +
			"so rolesw could not try 3h with the same code; pick 3h or less and enter a new code, or set rolesw_max_session_duration in profile prod once you know the maximum"
		if got := Describe(err); got != want {
			t.Errorf("Describe:\n got %s\nwant %s", got, want)
		}
		if strings.Contains(err.Error(), "111111") {
			t.Error("the MFA code is in the error")
		}
	})

	t.Run("next code wrong", func(t *testing.T) {
		srv := start(t, true)
		c, _ := newTestClient(t, srv, nil)
		_, err := c.Assume(context.Background(), plan(), Request{Duration: 4 * time.Hour, MFACode: first,
			NewMFACode: func(context.Context, MFAAsk) (string, error) { return "999999", nil }})
		if err == nil || !strings.Contains(Describe(err), "invalid MFA one time pass code") {
			t.Fatalf("a wrong next code: %v", err)
		}
		if got := sent(srv); got != "14400/ValidationError 10800/AccessDenied 10800/AccessDenied" {
			t.Errorf("requests %s", got)
		}
	})
}

// TestAssumeNoHops: a profile that is its own base returns its
// credentials, named by the caller identity.
func TestAssumeNoHops(t *testing.T) {
	srv := startSTS(t)
	c, _ := newTestClient(t, srv, nil)
	plan := &roles.Plan{Profile: "dev", Source: staticSource()}
	res, err := c.Assume(context.Background(), plan, Request{Duration: 5 * time.Minute})
	if err != nil {
		t.Fatalf("Assume: %v", err)
	}
	if res.Credentials.AccessKeyID != testKeyID || res.AssumedRoleARN != userARN || res.RoleARN != "" {
		t.Errorf("result %+v, want the user's own keys as %s", res, userARN)
	}
	if srv.Count("AssumeRole") != 0 {
		t.Error("a plan without hops called AssumeRole")
	}
}

// BenchmarkAssumeOneHop measures one AssumeRole through the real SDK
// against the loopback STS: what rolesw adds to the round trip.
func BenchmarkAssumeOneHop(b *testing.B) {
	srv := startSTS(b)
	srv.AddRole(localsts.Role{ARN: roleA})
	c, _ := newTestClient(b, srv, nil)
	c.opts.Debug = nil
	plan := onePlan(roleA)
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := c.Assume(ctx, plan, Request{}); err != nil {
			b.Fatal(err)
		}
		if i%1000 == 999 {
			srv.Reset()
		}
	}
}
