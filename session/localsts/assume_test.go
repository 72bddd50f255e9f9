package localsts

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

var (
	sessionKeyRE = regexp.MustCompile(`^ASIA[A-Z0-9]{16}$`)
	roleIDRE     = regexp.MustCompile(`^AROA[A-Z0-9]{17}:`)
)

func TestAssumeRoleSuccess(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name     string
		role     string
		session  string
		mods     []func(*sts.AssumeRoleInput)
		wantARN  string
		wantLife time.Duration
		wantSrc  string
	}{
		{name: "default duration is one hour", role: roleBasic, session: "s1",
			wantARN: "arn:aws:sts::111111111111:assumed-role/basic/s1", wantLife: time.Hour},
		{name: "role path is dropped and the role's account used", role: roleLong, session: "alice@example.com",
			wantARN: "arn:aws:sts::222222222222:assumed-role/long/alice@example.com", wantLife: time.Hour},
		{name: "12h role grants 12h", role: roleLong, session: "x_y.z-1+2=3,4", mods: []func(*sts.AssumeRoleInput){withDuration(43200)},
			wantARN: "arn:aws:sts::222222222222:assumed-role/long/x_y.z-1+2=3,4", wantLife: 12 * time.Hour},
		{name: "900 seconds is allowed", role: roleBasic, session: "ab", mods: []func(*sts.AssumeRoleInput){withDuration(900)},
			wantARN: "arn:aws:sts::111111111111:assumed-role/basic/ab", wantLife: 15 * time.Minute},
		{name: "64-character session name", role: roleBasic, session: strings.Repeat("n", 64),
			wantARN: "arn:aws:sts::111111111111:assumed-role/basic/" + strings.Repeat("n", 64), wantLife: time.Hour},
		{name: "external id", role: roleExternal, session: "s",
			mods: []func(*sts.AssumeRoleInput){func(in *sts.AssumeRoleInput) {
				in.ExternalId = aws.String(externalID)
				in.RoleSessionName = aws.String("ext")
			}},
			wantARN: "arn:aws:sts::222222222222:assumed-role/vendor/ext", wantLife: time.Hour},
		{name: "mfa", role: roleMFA, session: "mfa-ok",
			mods: []func(*sts.AssumeRoleInput){func(in *sts.AssumeRoleInput) {
				in.SerialNumber, in.TokenCode = aws.String(roleAliceMFA), aws.String(mfaCode)
			}, withDuration(8 * 3600)},
			wantARN: "arn:aws:sts::111111111111:assumed-role/admin/mfa-ok", wantLife: 8 * time.Hour},
		{name: "source identity echoed", role: roleBasic, session: "si",
			mods:    []func(*sts.AssumeRoleInput){func(in *sts.AssumeRoleInput) { in.SourceIdentity = aws.String("alice@corp") }},
			wantARN: "arn:aws:sts::111111111111:assumed-role/basic/si", wantLife: time.Hour, wantSrc: "alice@corp"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, _ := newTestServer(t)
			out, err := assume(ctx, client(srv, alice, 1), tt.role, tt.session, tt.mods...)
			if err != nil {
				t.Fatalf("AssumeRole: %v", err)
			}
			if got := aws.ToString(out.AssumedRoleUser.Arn); got != tt.wantARN {
				t.Errorf("Arn = %q, want %q", got, tt.wantARN)
			}
			id := aws.ToString(out.AssumedRoleUser.AssumedRoleId)
			if !roleIDRE.MatchString(id) || !strings.HasSuffix(id, ":"+tt.wantARN[strings.LastIndex(tt.wantARN, "/")+1:]) {
				t.Errorf("AssumedRoleId = %q, want AROA<17>:<session>", id)
			}
			c := out.Credentials
			if !sessionKeyRE.MatchString(aws.ToString(c.AccessKeyId)) {
				t.Errorf("AccessKeyId = %q, want ASIA + 16 uppercase alphanumerics", aws.ToString(c.AccessKeyId))
			}
			if n := len(aws.ToString(c.SecretAccessKey)); n != 40 {
				t.Errorf("secret has %d characters, want 40", n)
			}
			if n := len(aws.ToString(c.SessionToken)); n < 100 {
				t.Errorf("session token has %d characters, want a long token", n)
			}
			if want := fixedStart.Add(tt.wantLife); !aws.ToTime(c.Expiration).Equal(want) {
				t.Errorf("Expiration = %v, want %v", aws.ToTime(c.Expiration), want)
			}
			if exp, ok := srv.Credentials(aws.ToString(c.AccessKeyId)); !ok || !exp.Equal(fixedStart.Add(tt.wantLife)) {
				t.Errorf("Credentials() = %v, %v; want %v, true", exp, ok, fixedStart.Add(tt.wantLife))
			}
			if got := aws.ToString(out.SourceIdentity); got != tt.wantSrc {
				t.Errorf("SourceIdentity = %q, want %q", got, tt.wantSrc)
			}

			// The new keys sign as the role session.
			who, err := client(srv, sessionKeys(out), 1).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
			if err != nil {
				t.Fatalf("GetCallerIdentity with the session: %v", err)
			}
			if aws.ToString(who.Arn) != tt.wantARN || aws.ToString(who.UserId) != id ||
				aws.ToString(who.Account) != strings.Split(tt.wantARN, ":")[4] {
				t.Errorf("GetCallerIdentity = %s %s %s, want %s %s", aws.ToString(who.Arn), aws.ToString(who.UserId),
					aws.ToString(who.Account), tt.wantARN, id)
			}
		})
	}
}

func TestAssumeRoleErrors(t *testing.T) {
	ctx := context.Background()
	const aliceARN = "arn:aws:iam::111111111111:user/alice"
	denied := func(role string) string {
		return "User: " + aliceARN + " is not authorized to perform: sts:AssumeRole on resource: " + role
	}
	ext := func(id string) func(*sts.AssumeRoleInput) {
		return func(in *sts.AssumeRoleInput) { in.ExternalId = aws.String(id) }
	}
	src := func(id string) func(*sts.AssumeRoleInput) {
		return func(in *sts.AssumeRoleInput) { in.SourceIdentity = aws.String(id) }
	}
	tests := []struct {
		name     string
		role     string
		session  string
		mods     []func(*sts.AssumeRoleInput)
		code     string
		msg      string
		status   int
		noSecret string // must not appear in the message
	}{
		{name: "unknown role", role: "arn:aws:iam::111111111111:role/nope", session: "s1",
			code: "AccessDenied", msg: denied("arn:aws:iam::111111111111:role/nope"), status: 403},
		{name: "trust refuses the caller", role: roleOnlyBob, session: "s1",
			code: "AccessDenied", msg: denied(roleOnlyBob), status: 403},
		{name: "session name too short", role: roleBasic, session: "a", code: "ValidationError", status: 400,
			msg: "1 validation error detected: Value 'a' at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2"},
		{name: "session name too long", role: roleBasic, session: strings.Repeat("n", 65), code: "ValidationError", status: 400,
			msg: "1 validation error detected: Value '" + strings.Repeat("n", 65) + "' at 'roleSessionName' failed to satisfy constraint: Member must have length less than or equal to 64"},
		{name: "session name with a colon", role: roleBasic, session: "a:b", code: "ValidationError", status: 400,
			msg: `1 validation error detected: Value 'a:b' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]*`},
		{name: "two validation errors", role: roleBasic, session: " ", code: "ValidationError", status: 400,
			msg: `2 validation errors detected: Value ' ' at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2; ` +
				`Value ' ' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]*`},
		{name: "duration below 900", role: roleBasic, session: "s1", mods: []func(*sts.AssumeRoleInput){withDuration(600)},
			code: "ValidationError", status: 400,
			msg: "1 validation error detected: Value '600' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900"},
		{name: "duration above the 1h default role maximum", role: roleBasic, session: "s1", mods: []func(*sts.AssumeRoleInput){withDuration(3601)},
			code: "ValidationError", status: 400, msg: "The requested DurationSeconds exceeds the MaxSessionDuration set for this role."},
		{name: "duration above 12h", role: roleLong, session: "s1", mods: []func(*sts.AssumeRoleInput){withDuration(43201)},
			code: "ValidationError", status: 400, msg: "The requested DurationSeconds exceeds the MaxSessionDuration set for this role."},
		{name: "external id missing", role: roleExternal, session: "s1", code: "AccessDenied", status: 403, msg: denied(roleExternal)},
		{name: "external id wrong", role: roleExternal, session: "s1", mods: []func(*sts.AssumeRoleInput){ext("ext-0000")},
			code: "AccessDenied", status: 403, msg: denied(roleExternal)},
		{name: "mfa missing", role: roleMFA, session: "s1", code: "AccessDenied", status: 403,
			msg: "MultiFactorAuthentication failed, must provide both MFA serial number and one time pass code."},
		{name: "mfa serial without code", role: roleMFA, session: "s1", mods: []func(*sts.AssumeRoleInput){mfa(roleAliceMFA, "")},
			code: "AccessDenied", status: 403, msg: "MultiFactorAuthentication failed, must provide both MFA serial number and one time pass code."},
		{name: "mfa wrong code", role: roleMFA, session: "s1", mods: []func(*sts.AssumeRoleInput){mfa(roleAliceMFA, "654321")},
			code: "AccessDenied", status: 403, msg: "MultiFactorAuthentication failed with invalid MFA one time pass code.", noSecret: "654321"},
		{name: "mfa unknown serial", role: roleMFA, session: "s1", mods: []func(*sts.AssumeRoleInput){mfa("arn:aws:iam::111111111111:mfa/mallory", "123456")},
			code: "AccessDenied", status: 403, msg: "MultiFactorAuthentication failed, unable to validate MFA code."},
		{name: "mfa code not digits is masked", role: roleMFA, session: "s1", mods: []func(*sts.AssumeRoleInput){mfa(roleAliceMFA, "12a456")},
			code: "ValidationError", status: 400, noSecret: "12a456",
			msg: `1 validation error detected: Value '******' at 'tokenCode' failed to satisfy constraint: Member must satisfy regular expression pattern: [\d]*`},
		{name: "source identity with aws: prefix", role: roleBasic, session: "s1", mods: []func(*sts.AssumeRoleInput){src("AWS:root")},
			code: "ValidationError", status: 400,
			msg: `1 validation error detected: Value 'AWS:root' at 'sourceIdentity' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]*`},
		{name: "source identity too short", role: roleBasic, session: "s1", mods: []func(*sts.AssumeRoleInput){src("a")},
			code: "ValidationError", status: 400,
			msg: "1 validation error detected: Value 'a' at 'sourceIdentity' failed to satisfy constraint: Member must have length greater than or equal to 2"},
		{name: "source identity with a space", role: roleBasic, session: "s1", mods: []func(*sts.AssumeRoleInput){src("alice smith")},
			code: "ValidationError", status: 400,
			msg: `1 validation error detected: Value 'alice smith' at 'sourceIdentity' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]*`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, _ := newTestServer(t)
			_, err := assume(ctx, client(srv, alice, 1), tt.role, tt.session, tt.mods...)
			if err == nil {
				t.Fatal("AssumeRole succeeded, want an error")
			}
			got := asWireError(t, err)
			want := wireError{code: tt.code, msg: tt.msg, status: tt.status}
			if got != want {
				t.Errorf("error = %+v\nwant    %+v", got, want)
			}
			if tt.noSecret != "" && strings.Contains(err.Error(), tt.noSecret) {
				t.Errorf("the error shows the MFA code")
			}
			reqs := srv.Requests()
			if len(reqs) != 1 || reqs[0].Err != tt.code {
				t.Errorf("recorded %+v, want one request with Err %q", reqs, tt.code)
			}
		})
	}
}

func TestRoleChaining(t *testing.T) {
	ctx := context.Background()
	srv, _ := newTestServer(t)

	hop1, err := assume(ctx, client(srv, alice, 1), roleBasic, "hop1", func(in *sts.AssumeRoleInput) {
		in.SourceIdentity = aws.String("alice")
	})
	if err != nil {
		t.Fatalf("hop 1: %v", err)
	}
	k1 := sessionKeys(hop1)

	// A chained call asking for more than an hour is refused even though
	// the role itself allows 12h.
	_, err = assume(ctx, client(srv, k1, 1), roleLong, "hop2", withDuration(7200))
	want := wireError{code: "ValidationError", status: 400,
		msg: "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining."}
	if got := asWireError(t, err); got != want {
		t.Errorf("chained 2h: %+v, want %+v", got, want)
	}
	// Chaining is checked before the role maximum (see the package comment).
	_, err = assume(ctx, client(srv, k1, 1), roleBasic, "hop2", withDuration(7200))
	if got := asWireError(t, err); got != want {
		t.Errorf("chained 2h on a 1h role: %+v, want %+v", got, want)
	}
	// Changing the source identity of the chain is refused.
	_, err = assume(ctx, client(srv, k1, 1), roleLong, "hop2", func(in *sts.AssumeRoleInput) {
		in.SourceIdentity = aws.String("mallory")
	})
	if got := asWireError(t, err); got.code != "AccessDenied" || !strings.Contains(got.msg, "sts:SetSourceIdentity") {
		t.Errorf("changed source identity: %+v, want AccessDenied on sts:SetSourceIdentity", got)
	}

	hop2, err := assume(ctx, client(srv, k1, 1), roleLong, "hop2", withDuration(3600))
	if err != nil {
		t.Fatalf("hop 2: %v", err)
	}
	if got := aws.ToString(hop2.SourceIdentity); got != "alice" {
		t.Errorf("hop 2 SourceIdentity = %q, want the inherited %q", got, "alice")
	}
	hop3, err := assume(ctx, client(srv, sessionKeys(hop2), 1), roleThird, "hop3")
	if err != nil {
		t.Fatalf("hop 3: %v", err)
	}
	who, err := client(srv, sessionKeys(hop3), 1).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := aws.ToString(who.Arn), "arn:aws:sts::333333333333:assumed-role/third/hop3"; got != want {
		t.Errorf("identity after 3 hops = %q, want %q", got, want)
	}
	if got := aws.ToString(who.Account); got != "333333333333" {
		t.Errorf("account after 3 hops = %q", got)
	}

	// Hops 2 and 3 were signed with session credentials; hop 1 was not.
	var tokens []bool
	for _, r := range srv.Requests() {
		if r.Action == "AssumeRole" && r.Err == "" {
			tokens = append(tokens, r.SessionToken)
		}
	}
	if want := []bool{false, true, true}; !equalBools(tokens, want) {
		t.Errorf("successful AssumeRole calls signed with a session token: %v, want %v", tokens, want)
	}
}

func equalBools(a, b []bool) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// With SingleUseMFA a code is spent by the request that presents it, even
// one then refused for its duration; the next code works once more.
func TestSingleUseMFA(t *testing.T) {
	ctx := context.Background()
	srv, err := Start(Options{Account: acct, SingleUseMFA: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	srv.AddUser(User{Name: "alice", AccessKeyID: aliceKey, SecretAccessKey: aliceSecret})
	srv.AddRole(Role{ARN: roleMFA, MFASerial: roleAliceMFA, MaxSessionDuration: 8 * time.Hour})
	srv.SetMFACode(roleAliceMFA, mfaCode)
	c := client(srv, alice, 1)

	_, err = assume(ctx, c, roleMFA, "too-long", mfa(roleAliceMFA, mfaCode), withDuration(43200))
	if w := asWireError(t, err); w.code != "ValidationError" || !strings.Contains(w.msg, "MaxSessionDuration") {
		t.Fatalf("12h of an 8h role: got %+v", w)
	}
	_, err = assume(ctx, c, roleMFA, "again", mfa(roleAliceMFA, mfaCode), withDuration(3600))
	if w := asWireError(t, err); w.code != "AccessDenied" || w.msg != "MultiFactorAuthentication failed with invalid MFA one time pass code." {
		t.Fatalf("the spent code again: got %+v", w)
	}
	srv.SetMFACode(roleAliceMFA, "654321")
	if _, err := assume(ctx, c, roleMFA, "next", mfa(roleAliceMFA, "654321"), withDuration(3600)); err != nil {
		t.Fatalf("the next code: %v", err)
	}
	if _, err := assume(ctx, c, roleMFA, "next-again", mfa(roleAliceMFA, "654321"), withDuration(3600)); err == nil {
		t.Fatal("the next code was taken twice")
	}
}
