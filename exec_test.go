package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rolesw/rolesw/session/localsts"
)

func envLines(s string) map[string]string {
	m := map[string]string{}
	for _, line := range strings.Split(strings.TrimRight(s, "\n"), "\n") {
		if k, v, ok := strings.Cut(line, "="); ok {
			m[k] = v
		}
	}
	return m
}

// The child gets exactly the environment of DESIGN.md section 3.
func TestExecChildEnvironment(t *testing.T) {
	f := newFixture(t)
	dropped := []string{
		"AWS_PROFILE=other", "AWS_DEFAULT_PROFILE=other", "AWS_SECURITY_TOKEN=stale-token",
		"AWS_CREDENTIAL_FILE=/x", "AWS_ROLE_ARN=arn:aws:iam::1:role/x", "AWS_WEB_IDENTITY_TOKEN_FILE=/x",
		"AWS_ROLE_SESSION_NAME=x", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI=/v2/creds",
		"AWS_CONTAINER_CREDENTIALS_FULL_URI=http://127.0.0.1:1/c", "AWS_CONTAINER_AUTHORIZATION_TOKEN=tok",
		"AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE=/x", "AWS_VAULT=old", "AWSUME_PROFILE=old",
		"AWSUME_EXPIRATION=2026-01-01T00:00:00", "AWS_SSO_PROFILE=old", "AWS_SSO_SESSION_EXPIRATION=2026-01-01T00:00:00Z",
		"AWS_CREDENTIAL_EXPIRATION=2000-01-01T00:00:00Z", "AWS_SESSION_EXPIRATION=2000-01-01T00:00:00Z",
		"ROLESW_DEPTH=2",
	}
	kept := []string{"FOO=bar baz", "AWS_CA_BUNDLE=/etc/ssl/x.pem"}
	before := time.Now()
	r := f.run(append(dropped, kept...), "exec", "prod", "-d", "2h", "--", "env")
	if r.code != 0 {
		t.Fatalf("exit %d\nstderr: %s", r.code, r.stderr)
	}
	got := envLines(r.stdout)

	want := envLines(strings.Join(append(append([]string(nil), f.env...), kept...), "\n"))
	// What rolesw sets.
	for _, k := range []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
		"AWS_CREDENTIAL_EXPIRATION", "AWS_SESSION_EXPIRATION", "ROLESW_IDENTITY"} {
		if got[k] == "" {
			t.Errorf("%s not set in the child", k)
		}
		want[k] = got[k]
	}
	want["AWS_REGION"] = "eu-west-1"
	want["AWS_DEFAULT_REGION"] = "eu-west-1"
	want["ROLESW_PROFILE"] = "prod"
	want["ROLESW_ROLE_ARN"] = "arn:aws:iam::123456789012:role/ProdAccess"
	want["ROLESW_DEPTH"] = "3"
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("child environment (-want +got):\n%s", diff)
	}
	if !strings.HasPrefix(got["AWS_ACCESS_KEY_ID"], "ASIA") || got["AWS_ACCESS_KEY_ID"] == baseKeyID {
		t.Errorf("child key id %q is not a fresh session key", got["AWS_ACCESS_KEY_ID"])
	}
	if !strings.HasPrefix(got["ROLESW_IDENTITY"], "arn:aws:sts::123456789012:assumed-role/ProdAccess/") {
		t.Errorf("ROLESW_IDENTITY = %q", got["ROLESW_IDENTITY"])
	}
	exp, err := time.Parse(time.RFC3339, got["AWS_CREDENTIAL_EXPIRATION"])
	if err != nil || !strings.HasSuffix(got["AWS_CREDENTIAL_EXPIRATION"], "Z") {
		t.Fatalf("AWS_CREDENTIAL_EXPIRATION %q is not RFC 3339 UTC: %v", got["AWS_CREDENTIAL_EXPIRATION"], err)
	}
	if d := exp.Sub(before); d < 2*time.Hour-time.Minute || d > 2*time.Hour+time.Minute {
		t.Errorf("expiry is %s ahead, want 2h", d.Round(time.Second))
	}
	if got["AWS_SESSION_EXPIRATION"] != got["AWS_CREDENTIAL_EXPIRATION"] {
		t.Errorf("AWS_SESSION_EXPIRATION %q != AWS_CREDENTIAL_EXPIRATION %q", got["AWS_SESSION_EXPIRATION"], got["AWS_CREDENTIAL_EXPIRATION"])
	}
	reqs := f.sts.Requests()
	if len(reqs) != 1 || reqs[0].Params.Get("DurationSeconds") != "7200" {
		t.Errorf("want one AssumeRole with DurationSeconds=7200, got %+v", reqs)
	}
}

// The real AWS CLI inside `rolesw exec` sees the assumed role.
func TestExecAWSCLIInside(t *testing.T) {
	aws := awsCLI(t)
	f := newFixture(t)
	r := f.run(nil, "exec", "prod", "--", aws, "--endpoint-url", f.sts.URL(), "sts", "get-caller-identity", "--output", "json")
	if r.code != 0 {
		t.Fatalf("exit %d\nstdout: %s\nstderr: %s", r.code, r.stdout, r.stderr)
	}
	var id struct{ Arn, Account string }
	if err := json.Unmarshal([]byte(r.stdout), &id); err != nil {
		t.Fatalf("aws output %q: %v", r.stdout, err)
	}
	if !strings.HasPrefix(id.Arn, "arn:aws:sts::123456789012:assumed-role/ProdAccess/rolesw-tester-") || id.Account != "123456789012" {
		t.Errorf("aws sts get-caller-identity inside rolesw exec: %+v", id)
	}
}

// Durations out of bounds are refused before any request reaches STS.
func TestExecDurationRefusedBeforeSTS(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		profile, duration string
		want              []string
	}{
		{"r2", "2h", []string{"2h", "1h", "role chaining", "base -> R1 -> R2"}},
		{"prod", "10m", []string{"10m", "15m", "900"}},
		{"prod", "13h", []string{"13h", "12h", "43200"}},
	}
	for _, tt := range tests {
		t.Run(tt.profile+"-"+tt.duration, func(t *testing.T) {
			f.sts.Reset()
			r := f.run(nil, "exec", tt.profile, "-d", tt.duration, "--", "true")
			if r.code != 2 {
				t.Errorf("exit %d, want 2; stderr: %s", r.code, r.stderr)
			}
			for _, w := range tt.want {
				if !strings.Contains(r.stderr, w) {
					t.Errorf("error %q does not name %q", r.stderr, w)
				}
			}
			if n := len(f.sts.Requests()); n != 0 {
				t.Errorf("%d requests reached STS, want 0", n)
			}
		})
	}
}

// A role with a 2h maximum asked for 4h ends with 2h, remembered for list.
func TestExecLearnsRoleMaximum(t *testing.T) {
	f := newFixture(t)
	before := time.Now()
	r := f.run(nil, "exec", "limited", "-d", "4h", "--", "sh", "-c", "echo $AWS_CREDENTIAL_EXPIRATION")
	if r.code != 0 {
		t.Fatalf("exit %d\nstderr: %s", r.code, r.stderr)
	}
	exp, err := time.Parse(time.RFC3339, strings.TrimSpace(r.stdout))
	if err != nil {
		t.Fatal(err)
	}
	if d := exp.Sub(before); d < 2*time.Hour-time.Minute || d > 2*time.Hour+time.Minute {
		t.Errorf("session is %s long, want 2h", d.Round(time.Minute))
	}
	if !strings.Contains(r.stderr, "2h") {
		t.Errorf("stderr does not say the maximum was learned: %q", r.stderr)
	}
	var durations []string
	for _, q := range f.sts.Requests() {
		durations = append(durations, q.Params.Get("DurationSeconds"))
	}
	if diff := cmp.Diff([]string{"14400", "10800", "7200"}, durations); diff != "" {
		t.Errorf("DurationSeconds tried (-want +got):\n%s", diff)
	}

	l := f.run(nil, "list", "--json")
	if l.code != 0 {
		t.Fatalf("list: exit %d: %s", l.code, l.stderr)
	}
	var entries []listEntry
	if err := json.Unmarshal([]byte(l.stdout), &entries); err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Name == "limited" {
			if e.MaxDurationSeconds == nil || *e.MaxDurationSeconds != 7200 {
				t.Errorf("limited: max_duration_seconds = %v, want 7200", e.MaxDurationSeconds)
			}
			return
		}
	}
	t.Error("limited not listed")
}

// A three-hop chain: three AssumeRole calls, innermost first, each signed
// with the previous hop's keys and with its own parameters.
func TestExecThreeHopChain(t *testing.T) {
	f := newFixture(t)
	r := f.run(nil, "exec", "r3", "-d", "45m", "--", "sh", "-c", "echo $ROLESW_IDENTITY $AWS_REGION")
	if r.code != 0 {
		t.Fatalf("exit %d\nstderr: %s", r.code, r.stderr)
	}
	if !strings.HasPrefix(r.stdout, "arn:aws:sts::444444444444:assumed-role/R3/hop-three us-west-2") {
		t.Errorf("child sees %q", r.stdout)
	}
	reqs := f.sts.Requests()
	if len(reqs) != 3 {
		t.Fatalf("%d requests, want 3: %+v", len(reqs), reqs)
	}
	type hop struct{ Role, Signer, Ext, Name, Duration string }
	var got []hop
	for _, q := range reqs {
		got = append(got, hop{q.Params.Get("RoleArn"), q.AccessKeyID, q.Params.Get("ExternalId"), q.Params.Get("RoleSessionName"), q.Params.Get("DurationSeconds")})
	}
	if got[0].Signer != baseKeyID {
		t.Errorf("first hop signed by %s, want the base key", got[0].Signer)
	}
	for i := 1; i < 3; i++ {
		if !strings.HasPrefix(got[i].Signer, "ASIA") || got[i].Signer == got[i-1].Signer {
			t.Errorf("hop %d signed by %q, want the previous hop's session key", i+1, got[i].Signer)
		}
	}
	want := []hop{
		{"arn:aws:iam::222222222222:role/R1", got[0].Signer, "ext-one", "hop-one", "1800"},
		{"arn:aws:iam::333333333333:role/R2", got[1].Signer, "ext-two", got[1].Name, ""},
		{"arn:aws:iam::444444444444:role/R3", got[2].Signer, "", "hop-three", "2700"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("hops (-want +got):\n%s", diff)
	}
	if !strings.HasPrefix(got[1].Name, "rolesw-tester-") {
		t.Errorf("hop 2 session name %q, want the rolesw-<user>-<unix> default", got[1].Name)
	}
	for i, q := range reqs {
		if q.Err != "" {
			t.Errorf("hop %d: STS answered %s", i+1, q.Err)
		}
	}
}

// The child's status is rolesw's status.
func TestExecExitStatus(t *testing.T) {
	f := newFixture(t)
	if r := f.run(nil, "exec", "prod", "--", "sh", "-c", "exit 7"); r.code != 7 {
		t.Errorf("exit %d, want 7 (stderr %q)", r.code, r.stderr)
	}
	if r := f.run(nil, "exec", "prod", "--", "no-such-command-xyz"); r.code != 1 || !strings.Contains(r.stderr, "no-such-command-xyz") {
		t.Errorf("missing command: exit %d, stderr %q", r.code, r.stderr)
	}
}

// SIGTERM and SIGHUP sent to rolesw reach the child, whose status rolesw
// returns.
func TestExecForwardsSignals(t *testing.T) {
	f := newFixture(t)
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGHUP} {
		t.Run(sig.String(), func(t *testing.T) {
			mark := filepath.Join(t.TempDir(), "got")
			script := `trap 'echo got >> ` + mark + `; exit 42' TERM HUP; echo ready > ` + mark + `.ready; while :; do sleep 0.05; done`
			cmd := exec.Command(roleswBin, "exec", "prod", "--", "sh", "-c", script)
			cmd.Env = f.env
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			waitFile(t, mark+".ready")
			if err := cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			err := cmd.Wait()
			ee, ok := err.(*exec.ExitError)
			if !ok || ee.ExitCode() != 42 {
				t.Errorf("rolesw ended with %v, want exit 42 (the child's)", err)
			}
			b, _ := os.ReadFile(mark)
			if string(b) != "got\n" {
				t.Errorf("child saw %q, want the signal once", b)
			}
		})
	}
}

// waitFile polls for a file the child writes when it is ready.
func waitFile(t *testing.T, p string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if _, err := os.Stat(p); err == nil {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("timed out waiting for %s", p)
}

// Other bases: credential_process, Environment, a session-token profile.
func TestExecBaseSources(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		profile string
		env     []string
	}{
		{"proc", nil},
		{"env-src", []string{"AWS_ACCESS_KEY_ID=" + baseKeyID, "AWS_SECRET_ACCESS_KEY=" + baseSecret}},
		{"from-session", nil},
	}
	for _, tt := range tests {
		t.Run(tt.profile, func(t *testing.T) {
			r := f.run(tt.env, "exec", tt.profile, "--", "sh", "-c", "echo $ROLESW_IDENTITY")
			if r.code != 0 || !strings.HasPrefix(r.stdout, "arn:aws:sts::123456789012:assumed-role/ProdAccess/") {
				t.Errorf("exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
			}
		})
	}
}

// list agrees with the config and marks what cannot be assumed.
func TestListJSON(t *testing.T) {
	f := newFixture(t)
	r := f.run(nil, "list", "--json")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var entries []listEntry
	if err := json.Unmarshal([]byte(r.stdout), &entries); err != nil {
		t.Fatal(err)
	}
	byName := map[string]listEntry{}
	var names []string
	for _, e := range entries {
		byName[e.Name] = e
		names = append(names, e.Name)
	}
	wantNames := []string{"prod", "r1", "r2", "r3", "limited", "mfa", "env-src", "procbase", "proc", "from-session", "orphan", "base", "sessbase"}
	if diff := cmp.Diff(wantNames, names); diff != "" {
		t.Errorf("names (-want +got):\n%s", diff)
	}
	if e := byName["r2"]; !e.Chained || e.MaxDurationSeconds == nil || *e.MaxDurationSeconds != 3600 || e.SourceProfile != "r1" {
		t.Errorf("r2: %+v", e)
	}
	if e := byName["mfa"]; e.MFASerial != "arn:aws:iam::111111111111:mfa/tester" || e.Chained {
		t.Errorf("mfa: %+v", e)
	}
	if e := byName["env-src"]; e.CredentialSource != "Environment" {
		t.Errorf("env-src: %+v", e)
	}
	if e := byName["orphan"]; e.Error == "" {
		t.Errorf("orphan should carry the reason it cannot be assumed: %+v", e)
	}
	if e := byName["prod"]; e.Region != "eu-west-1" || e.Account != "123456789012" || e.Role != "ProdAccess" || e.MaxDurationSeconds != nil {
		t.Errorf("prod: %+v", e)
	}
}

func TestListMatchesAWSCLI(t *testing.T) {
	aws := awsCLI(t)
	f := newFixture(t)
	cmd := exec.Command(aws, "configure", "list-profiles")
	cmd.Env = f.env
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Fields(string(out))
	r := f.run(nil, "list")
	var got []string
	for _, line := range strings.Split(strings.TrimSpace(r.stdout), "\n")[1:] {
		got = append(got, strings.Fields(line)[0])
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("rolesw list vs aws configure list-profiles (-aws +rolesw):\n%s", diff)
	}
}

// STS failures exit 1 with plain words, never a secret.
func TestExecSTSErrors(t *testing.T) {
	f := newFixture(t)
	f.sts.AddRole(localsts.Role{ARN: "arn:aws:iam::123456789012:role/Denied", Trust: func(string) bool { return false }})
	expKey, expSecret, expToken := f.sts.IssueExpired("arn:aws:iam::111111111111:role/Old")
	f.write("credentials", f.readFile("credentials")+fmt.Sprintf("\n[stale]\naws_access_key_id = %s\naws_secret_access_key = %s\naws_session_token = %s\n", expKey, expSecret, expToken))
	f.write("config", f.readConfig()+`
[profile denied]
role_arn = arn:aws:iam::123456789012:role/Denied
source_profile = base

[profile from-stale]
role_arn = arn:aws:iam::123456789012:role/ProdAccess
source_profile = stale
`)
	tests := []struct {
		name, profile string
		env           []string
		want          []string
	}{
		{"access denied", "denied", nil, []string{"AccessDenied", "arn:aws:iam::123456789012:role/Denied", "not authorized"}},
		{"expired source", "from-stale", nil, []string{"ExpiredToken", "stale"}},
		{"unreachable", "prod", []string{"AWS_ENDPOINT_URL_STS=http://127.0.0.1:1"}, []string{"cannot reach STS", "127.0.0.1:1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := f.run(tt.env, "exec", tt.profile, "--", "true")
			if r.code != 1 || r.stdout != "" {
				t.Errorf("exit %d stdout %q, want exit 1 and nothing on stdout", r.code, r.stdout)
			}
			for _, w := range tt.want {
				if !strings.Contains(r.stderr, w) {
					t.Errorf("stderr %q does not say %q", r.stderr, w)
				}
			}
			for _, s := range []string{expSecret, expToken} {
				if strings.Contains(r.stderr, s) {
					t.Error("stderr holds a secret of the stale profile")
				}
			}
		})
	}
}

// With --mfa-code and no terminal, an MFA role asked for more than it
// allows cannot be retried once STS has spent the code: rolesw stops and
// says what happened and what to pick, instead of reporting a bad code.
func TestExecMFASpentWithoutTerminal(t *testing.T) {
	f := newFixture(t)
	r := f.run(nil, "exec", "mfa", "-d", "2h", "--mfa-code", "424242", "--", "true")
	want := "rolesw: STS refused 2h for arn:aws:iam::123456789012:role/MFARole: it is above the role's maximum session, and STS takes each MFA code once, " +
		"so rolesw could not try 1h with the same code; pick 1h or less and enter a new code, or set rolesw_max_session_duration in profile mfa once you know the maximum\n"
	if r.code != 1 || r.stderr != want {
		t.Errorf("exit %d, stderr:\n%q\nwant exit 1 and\n%q", r.code, r.stderr, want)
	}
	var tried []string
	for _, q := range f.sts.Requests() {
		tried = append(tried, q.Params.Get("DurationSeconds")+"/"+q.Err)
	}
	if got := strings.Join(tried, " "); got != "7200/ValidationError 3600/AccessDenied" {
		t.Errorf("requests %s", got)
	}
	f.noSecrets("stderr", r.stderr)
}
