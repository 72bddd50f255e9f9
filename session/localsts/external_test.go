package localsts

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// setEnv applies srv.Env() and an isolated AWS environment to the test.
func setEnv(t *testing.T, srv *Server, dir string) {
	t.Helper()
	for _, kv := range srv.Env() {
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}
	for _, k := range []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE",
		"AWS_DEFAULT_PROFILE", "AWS_ENDPOINT_URL", "AWS_DEFAULT_REGION"} {
		t.Setenv(k, "")
	}
	t.Setenv("HOME", dir)
	t.Setenv("AWS_REGION", "us-east-1")
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
}

// TestSDKConfigChain drives the SDK's own assume-role provider from a
// config file through AWS_ENDPOINT_URL_STS (srv.Env): two hops, the second
// signed with the first's session.
func TestSDKConfigChain(t *testing.T) {
	srv, _ := newTestServer(t)
	dir := t.TempDir()
	cfgFile := filepath.Join(dir, "config")
	credFile := filepath.Join(dir, "credentials")
	writeFile(t, cfgFile, "[profile dev]\nrole_arn = "+roleExternal+"\nsource_profile = base\nexternal_id = "+externalID+
		"\nrole_session_name = dev-session\n\n[profile chain]\nrole_arn = "+roleThird+"\nsource_profile = dev\nrole_session_name = chain-session\n")
	writeFile(t, credFile, "[base]\naws_access_key_id = "+aliceKey+"\naws_secret_access_key = "+aliceSecret+"\n")
	setEnv(t, srv, dir)
	t.Setenv("AWS_CONFIG_FILE", cfgFile)
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", credFile)

	ctx := context.Background()
	cfg, err := config.LoadDefaultConfig(ctx, config.WithSharedConfigProfile("chain"))
	if err != nil {
		t.Fatal(err)
	}
	who, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := aws.ToString(who.Arn), "arn:aws:sts::333333333333:assumed-role/third/chain-session"; got != want {
		t.Errorf("identity = %q, want %q", got, want)
	}
	var got []string
	for _, r := range srv.Requests() {
		got = append(got, strings.Join([]string{r.Action, r.Params.Get("RoleArn"), r.Params.Get("ExternalId"),
			boolText(r.SessionToken), r.Region, r.Err}, " "))
	}
	want := []string{
		"AssumeRole " + roleExternal + " " + externalID + " false us-east-1 ",
		"AssumeRole " + roleThird + "  true us-east-1 ",
		"GetCallerIdentity   true us-east-1 ",
	}
	if !slices.Equal(got, want) {
		t.Errorf("requests:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func boolText(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

func writeFile(t *testing.T, name, text string) {
	t.Helper()
	if err := os.WriteFile(name, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
}

const awsCLI = "/usr/bin/aws"

// requireCLIv2 skips unless /usr/bin/aws is the AWS CLI v2; under CI a
// missing CLI is a failure, not a skip.
func requireCLIv2(t *testing.T) {
	t.Helper()
	out, err := exec.Command(awsCLI, "--version").CombinedOutput()
	if err == nil && strings.HasPrefix(string(out), "aws-cli/2") {
		return
	}
	msg := "the AWS CLI v2 is needed at " + awsCLI + " (Debian package awscli); --version said: " +
		strings.TrimSpace(string(out))
	if err != nil {
		msg += " (" + err.Error() + ")"
	}
	if os.Getenv("CI") != "" {
		t.Fatal(msg)
	}
	t.Skip(msg)
}

// runCLI runs the real AWS CLI against srv. Credentials travel in the
// environment, never in argv. On failure only stderr is shown: stdout of
// assume-role holds secrets.
func runCLI(t *testing.T, srv *Server, k keys, args ...string) (stdout []byte, stderr string, code int) {
	t.Helper()
	dir := t.TempDir()
	cmd := exec.Command(awsCLI, append([]string{"--endpoint-url", srv.URL(), "--output", "json"}, args...)...)
	cmd.Env = []string{
		"PATH=/usr/bin:/bin",
		"HOME=" + dir,
		"AWS_CONFIG_FILE=/dev/null",
		"AWS_SHARED_CREDENTIALS_FILE=/dev/null",
		"AWS_EC2_METADATA_DISABLED=true",
		"AWS_REGION=us-east-1",
		"AWS_PAGER=",
		"AWS_ACCESS_KEY_ID=" + k.id,
		"AWS_SECRET_ACCESS_KEY=" + k.secret,
	}
	if k.token != "" {
		cmd.Env = append(cmd.Env, "AWS_SESSION_TOKEN="+k.token)
	}
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		code = ee.ExitCode()
	case err != nil:
		t.Fatalf("running %s: %v", awsCLI, err)
	}
	return out.Bytes(), errb.String(), code
}

func TestAWSCLI(t *testing.T) {
	requireCLIv2(t)
	srv, _ := newTestServer(t)

	out, stderr, code := runCLI(t, srv, alice, "sts", "get-caller-identity")
	if code != 0 {
		t.Fatalf("get-caller-identity exit %d: %s", code, stderr)
	}
	var who struct{ UserId, Account, Arn string }
	if err := json.Unmarshal(out, &who); err != nil {
		t.Fatalf("get-caller-identity output is not JSON: %v", err)
	}
	if who.Arn != "arn:aws:iam::111111111111:user/alice" || who.Account != acct || !strings.HasPrefix(who.UserId, "AIDA") {
		t.Errorf("get-caller-identity = %+v", who)
	}

	out, stderr, code = runCLI(t, srv, alice, "sts", "assume-role", "--role-arn", roleLong,
		"--role-session-name", "cli-session", "--duration-seconds", "7200")
	if code != 0 {
		t.Fatalf("assume-role exit %d: %s", code, stderr)
	}
	var ar struct {
		Credentials     struct{ AccessKeyId, SecretAccessKey, SessionToken, Expiration string }
		AssumedRoleUser struct{ Arn, AssumedRoleId string }
	}
	if err := json.Unmarshal(out, &ar); err != nil {
		t.Fatalf("assume-role output is not JSON: %v", err)
	}
	if ar.AssumedRoleUser.Arn != "arn:aws:sts::222222222222:assumed-role/long/cli-session" {
		t.Errorf("assume-role Arn = %q", ar.AssumedRoleUser.Arn)
	}
	exp, err := time.Parse(time.RFC3339, ar.Credentials.Expiration)
	if err != nil || !exp.Equal(fixedStart.Add(2*time.Hour)) {
		t.Errorf("Expiration %q, want %v", ar.Credentials.Expiration, fixedStart.Add(2*time.Hour))
	}

	// The session from the CLI works in the CLI, with its token signed.
	sess := keys{ar.Credentials.AccessKeyId, ar.Credentials.SecretAccessKey, ar.Credentials.SessionToken}
	out, stderr, code = runCLI(t, srv, sess, "sts", "get-caller-identity")
	if code != 0 {
		t.Fatalf("get-caller-identity with the session: exit %d: %s", code, stderr)
	}
	if err := json.Unmarshal(out, &who); err != nil || who.Arn != ar.AssumedRoleUser.Arn {
		t.Errorf("identity of the session = %q (%v), want %q", who.Arn, err, ar.AssumedRoleUser.Arn)
	}

	// Errors reach the CLI as AWS's do.
	_, stderr, code = runCLI(t, srv, sess, "sts", "assume-role", "--role-arn", roleThird,
		"--role-session-name", "again", "--duration-seconds", "7200")
	wantErr := "An error occurred (ValidationError) when calling the AssumeRole operation: " +
		"The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining."
	if code != 254 || !strings.Contains(stderr, wantErr) {
		t.Errorf("chained 2h via the CLI: exit %d, stderr %q; want 254 and %q", code, stderr, wantErr)
	}

	var signed []string
	for _, r := range srv.Requests() {
		if r.Err != "" && r.Action != "AssumeRole" {
			t.Errorf("the server refused the CLI's %s: %s", r.Action, r.Err)
		}
		signed = append(signed, strings.Join(r.SignedHeaders, ";"))
	}
	want := []string{
		"content-type;host;x-amz-date",
		"content-type;host;x-amz-date",
		"content-type;host;x-amz-date;x-amz-security-token",
		"content-type;host;x-amz-date;x-amz-security-token",
	}
	if !slices.Equal(signed, want) {
		t.Errorf("SignedHeaders of the CLI's requests = %q, want %q", signed, want)
	}
}

// TestCloseLeavesNoGoroutines: after Close, the goroutine count returns to
// where it was before Start, whatever the connections went through.
func TestCloseLeavesNoGoroutines(t *testing.T) {
	before := runtime.NumGoroutine()
	srv, err := Start(Options{Account: acct})
	if err != nil {
		t.Fatal(err)
	}
	srv.AddUser(User{Name: "alice", AccessKeyID: aliceKey, SecretAccessKey: aliceSecret})
	srv.AddRole(Role{ARN: roleBasic})
	ctx := context.Background()
	c := client(srv, alice, 1)
	if _, err := assume(ctx, c, roleBasic, "leak"); err != nil {
		t.Fatal(err)
	}
	srv.Inject(Fault{Kind: FaultClose})
	c.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	srv.SetLatency(time.Hour)
	short, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	c.GetCallerIdentity(short, &sts.GetCallerIdentityInput{})
	cancel()
	// And a kept-alive connection that only Close can end.
	srv.SetLatency(0)
	if _, err := c.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}); err != nil {
		t.Fatal(err)
	}
	if err := srv.Close(); err != nil {
		t.Fatal(err)
	}
	if err := srv.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	// The client's side of the closed connections winds down on its own
	// schedule; poll for it rather than sleeping a fixed time.
	deadline := time.Now().Add(10 * time.Second)
	for runtime.NumGoroutine() > before {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			t.Fatalf("%d goroutines after Close, %d before:\n%s", runtime.NumGoroutine(), before, buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestHandlerUnderHTTPTest: the Server is an http.Handler that works
// outside Start, for tests that bring their own server.
func TestHandlerUnderHTTPTest(t *testing.T) {
	h := New(Options{Account: acct})
	h.AddUser(User{Name: "alice", AccessKeyID: aliceKey, SecretAccessKey: aliceSecret})
	ts := httptest.NewServer(h)
	defer ts.Close()
	defer h.Close()
	c := sts.NewFromConfig(aws.Config{
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider(aliceKey, aliceSecret, ""),
		BaseEndpoint: aws.String(ts.URL),
	})
	who, err := c.GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatal(err)
	}
	if got := aws.ToString(who.Arn); got != "arn:aws:iam::111111111111:user/alice" {
		t.Errorf("identity = %q", got)
	}
}

// BenchmarkAssumeRole measures one AssumeRole round trip through the SDK.
func BenchmarkAssumeRole(b *testing.B) {
	srv, err := Start(Options{Account: acct})
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Close()
	srv.AddUser(User{Name: "alice", AccessKeyID: aliceKey, SecretAccessKey: aliceSecret})
	srv.AddRole(Role{ARN: roleBasic})
	c := client(srv, alice, 1)
	ctx := context.Background()
	for b.Loop() {
		if _, err := assume(ctx, c, roleBasic, "bench"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkGetCallerIdentity measures the cheapest signed round trip.
func BenchmarkGetCallerIdentity(b *testing.B) {
	srv, err := Start(Options{Account: acct})
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Close()
	srv.AddUser(User{Name: "alice", AccessKeyID: aliceKey, SecretAccessKey: aliceSecret})
	c := client(srv, alice, 1)
	ctx := context.Background()
	for b.Loop() {
		if _, err := c.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}); err != nil {
			b.Fatal(err)
		}
	}
}
