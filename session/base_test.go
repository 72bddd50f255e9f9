package session

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/rolesw/rolesw/roles"
	"github.com/rolesw/rolesw/session/localsts"
)

// assumeFrom assumes roleA from src and returns the key id STS saw
// signing the request.
func assumeFrom(t *testing.T, srv *localsts.Server, c *Client, src roles.Source) (string, error) {
	t.Helper()
	srv.Reset()
	plan := onePlan(roleA)
	plan.Source = src
	res, err := c.Assume(context.Background(), plan, Request{})
	if err != nil {
		return "", err
	}
	if res.AssumedRoleARN == "" || res.Credentials.SessionToken == "" {
		t.Errorf("incomplete result %+v", res)
	}
	reqs := srv.Requests()
	if len(reqs) != 1 {
		t.Fatalf("STS saw %d requests, want 1", len(reqs))
	}
	return reqs[0].AccessKeyID, nil
}

// processSTS is a loopback STS that knows the key a credential_process
// prints, and script writes a shell script for credential_process.
func processSTS(t *testing.T) (*localsts.Server, func(name, body string) string) {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("shell script")
	}
	srv := startSTS(t)
	srv.AddRole(localsts.Role{ARN: roleA})
	srv.AddUser(localsts.User{Name: "proc", Account: testAccount, AccessKeyID: "AKIAPROCESS000000001", SecretAccessKey: "process-secret-value-000000000000000000"})
	dir := t.TempDir()
	return srv, func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte("#!/bin/sh\n"+body+"\n"), 0o700); err != nil {
			t.Fatal(err)
		}
		return p
	}
}

const processJSON = `echo '{"Version": 1, "AccessKeyId": "AKIAPROCESS000000001", "SecretAccessKey": "process-secret-value-000000000000000000"}'`

func TestBaseCredentialProcess(t *testing.T) {
	srv, script := processSTS(t)
	good := script("good", processJSON)
	failing := script("failing", `echo "no login" >&2; exit 3`)
	garbage := script("garbage", `echo 'Version 1 AccessKeyId AKIAPROCESS000000001 SecretAccessKey process-secret-value-000000000000000000'`)
	c, log := newTestClient(t, srv, nil)

	key, err := assumeFrom(t, srv, c, roles.Source{Kind: roles.SourceProcess, Profile: "proc", Process: good})
	if err != nil || key != "AKIAPROCESS000000001" {
		t.Errorf("credential_process base: signed by %q, %v; want the process's key", key, err)
	}
	for name, cmd := range map[string]string{"exit 3": failing, "not JSON": garbage} {
		_, err := assumeFrom(t, srv, c, roles.Source{Kind: roles.SourceProcess, Profile: "proc", Process: cmd})
		d := Describe(err)
		if err == nil || !strings.Contains(d, "profile proc (credential_process)") {
			t.Errorf("%s: Describe = %q, want the profile and credential_process named", name, d)
		}
		assertNoSecret(t, name, d+err.Error()+log.String(), "process-secret-value")
	}
}

// With QuietProcess (the switcher), credential_process reads an empty
// standard input, so a prompt cannot hang or steal keys, and the last line
// it wrote on standard error is quoted in the error instead of drawn over
// the screen.
func TestBaseCredentialProcessQuiet(t *testing.T) {
	srv, script := processSTS(t)
	prompting := script("prompting", "printf 'MFA code: ' >&2\nif read code; then echo \"read $code\" >&2; fi\n"+
		"echo 'the SSO session expired' >&2\necho 'run: aws sso login --profile work' >&2\nexit 2")
	good := script("good", "echo progress >&2\n"+processJSON)
	c, log := newTestClient(t, srv, nil)
	c.opts.QuietProcess = true

	_, err := assumeFrom(t, srv, c, roles.Source{Kind: roles.SourceProcess, Profile: "proc", Process: prompting})
	want := "source credentials of profile proc (credential_process): the command exited with status 2; it said: run: aws sso login --profile work"
	if d := Describe(err); d != want {
		t.Errorf("Describe:\n got %q\nwant %q", d, want)
	}
	if key, err := assumeFrom(t, srv, c, roles.Source{Kind: roles.SourceProcess, Profile: "proc", Process: good}); err != nil || key != "AKIAPROCESS000000001" {
		t.Errorf("a quiet credential_process that succeeds: signed by %q, %v", key, err)
	}
	assertNoSecret(t, "quiet process", log.String(), "process-secret-value")
}

func TestBaseEnvironment(t *testing.T) {
	srv := startSTS(t)
	srv.AddRole(localsts.Role{ARN: roleA})
	src := roles.Source{Kind: roles.SourceEnvironment, Profile: "env-src", RoleSession: false}

	c, _ := newTestClient(t, srv, map[string]string{"AWS_ACCESS_KEY_ID": testKeyID, "AWS_SECRET_ACCESS_KEY": testSecret})
	if key, err := assumeFrom(t, srv, c, src); err != nil || key != testKeyID {
		t.Errorf("Environment base: signed by %q, %v; want %s", key, err, testKeyID)
	}
	for name, env := range map[string]map[string]string{
		"none":    {},
		"partial": {"AWS_ACCESS_KEY_ID": testKeyID},
	} {
		c, _ := newTestClient(t, srv, env)
		_, err := assumeFrom(t, srv, c, src)
		if d := Describe(err); err == nil || !strings.Contains(d, "AWS_SECRET_ACCESS_KEY") || !strings.Contains(d, "env-src") {
			t.Errorf("%s: Describe = %q, want the missing variable and the profile named", name, d)
		}
	}
}

func TestBaseEcsContainer(t *testing.T) {
	srv := startSTS(t)
	srv.AddRole(localsts.Role{ARN: roleA})
	srv.AddUser(localsts.User{Name: "task", Account: testAccount, AccessKeyID: "AKIACONTAINER0000001", SecretAccessKey: "container-secret-000000000000000000000"})
	tokenFile := filepath.Join(t.TempDir(), "token")
	os.WriteFile(tokenFile, []byte("file-token\n"), 0o600)
	agent := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "file-token" {
			w.WriteHeader(http.StatusUnauthorized)
			io.WriteString(w, `{"code":"Unauthorized","message":"bad token"}`)
			return
		}
		json.NewEncoder(w).Encode(map[string]string{
			"AccessKeyId": "AKIACONTAINER0000001", "SecretAccessKey": "container-secret-000000000000000000000",
			"Expiration": fixedNow.Add(6 * time.Hour).Format(time.RFC3339),
		})
	}))
	defer agent.Close()
	src := roles.Source{Kind: roles.SourceEcsContainer, Profile: "task"}
	c, _ := newTestClient(t, srv, map[string]string{
		"AWS_CONTAINER_CREDENTIALS_FULL_URI":     agent.URL + "/creds",
		"AWS_CONTAINER_AUTHORIZATION_TOKEN":      "plain-token",
		"AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": tokenFile,
	})
	if key, err := assumeFrom(t, srv, c, src); err != nil || key != "AKIACONTAINER0000001" {
		t.Errorf("EcsContainer base: signed by %q, %v; want the container key (token from the file)", key, err)
	}
	c, _ = newTestClient(t, srv, map[string]string{"AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://192.0.2.10/creds"})
	if _, err := assumeFrom(t, srv, c, src); err == nil || !strings.Contains(Describe(err), "loopback") {
		t.Errorf("plain http to a remote host: %v, want refused before any request", err)
	}
}

func TestBaseSSONoToken(t *testing.T) {
	c, _ := newTestClient(t, nil, nil)
	src := roles.Source{Kind: roles.SourceSSO, Profile: "sso-dev", SSO: roles.SSO{Session: "corp", StartURL: "https://corp.awsapps.com/start", Region: "eu-west-1", AccountID: "111111111111", RoleName: "Dev"}}
	plan := &roles.Plan{Profile: "sso-dev", Source: src}
	_, err := c.Assume(context.Background(), plan, Request{})
	if d := Describe(err); err == nil || !strings.Contains(d, "profile sso-dev (SSO)") {
		t.Errorf("SSO without a cached token: %q, want an error naming the profile", d)
	}
}

// TestBaseEc2InstanceMetadata runs the EC2 metadata mock on loopback and
// assumes a role with the instance credentials it serves.
func TestBaseEc2InstanceMetadata(t *testing.T) {
	bin := buildIMDSMock(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := fmt.Sprint(ln.Addr().(*net.TCPAddr).Port)
	ln.Close()
	// The instance credentials are a role session STS knows: issued by
	// localsts and served by the mock through its config file.
	srv := startSTS(t)
	srv.AddRole(localsts.Role{ARN: roleA})
	id, secret, token := srv.Issue("arn:aws:iam::111111111111:role/instance-role", "i-0123456789abcdef0", fixedNow.Add(-time.Minute), fixedNow.Add(6*time.Hour))
	home := t.TempDir()
	cfg, _ := json.Marshal(map[string]any{"metadata": map[string]any{"values": map[string]any{
		"iam-security-credentials-role": "instance-role",
		"iam-security-credentials": map[string]string{
			"Code": "Success", "LastUpdated": fixedNow.Format(time.RFC3339), "Type": "AWS-HMAC",
			"AccessKeyId": id, "SecretAccessKey": secret, "Token": token,
			"Expiration": fixedNow.Add(6 * time.Hour).Format(time.RFC3339),
		},
	}}})
	cfgPath := filepath.Join(home, "aemm-config.json")
	if err := os.WriteFile(cfgPath, cfg, 0o600); err != nil {
		t.Fatal(err)
	}
	mock := exec.Command(bin, "--hostname", "127.0.0.1", "--port", port, "--config-file", cfgPath)
	mock.Env = []string{"HOME=" + home, "PATH=/usr/bin:/bin"}
	mock.Dir = home
	if err := mock.Start(); err != nil {
		t.Fatalf("start ec2-metadata-mock: %v", err)
	}
	t.Cleanup(func() { mock.Process.Kill(); mock.Wait() })
	endpoint := "http://127.0.0.1:" + port

	// Wait until the mock serves the keys, as an IMDS client reads them.
	get := func(path string) (string, error) {
		resp, err := http.Get(endpoint + path)
		if err != nil {
			return "", err
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 {
			return "", fmt.Errorf("%s: %s", path, resp.Status)
		}
		return strings.TrimSpace(string(b)), err
	}
	deadline := time.Now().Add(30 * time.Second)
	body, err := get("/latest/meta-data/iam/security-credentials/instance-role")
	for ; err != nil; body, err = get("/latest/meta-data/iam/security-credentials/instance-role") {
		if time.Now().After(deadline) {
			t.Fatalf("ec2-metadata-mock did not answer: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if !strings.Contains(body, id) {
		t.Fatalf("the mock serves %q, not the configured key %s", body, id)
	}

	c, log := newTestClient(t, srv, map[string]string{"AWS_EC2_METADATA_SERVICE_ENDPOINT": endpoint})
	key, err := assumeFrom(t, srv, c, roles.Source{Kind: roles.SourceEc2InstanceMetadata, Profile: "ec2", RoleSession: true})
	if err != nil || key != id {
		t.Fatalf("Ec2InstanceMetadata base: signed by %q, %v; want the instance key %s", key, err, id)
	}
	assertNoSecret(t, "debug log", log.String(), secret, token)
}

// buildIMDSMock builds github.com/aws/amazon-ec2-metadata-mock v1.13.0
// from its copy in the module cache (GOPROXY=off: tests reach no network;
// the module stays out of go.mod, since only this test uses it). A
// missing module skips the test, except in CI where it fails.
func buildIMDSMock(t *testing.T) string {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("IMDS mock test runs on unix")
	}
	dir := t.TempDir()
	modcache, err := exec.Command("go", "env", "GOMODCACHE").Output()
	if err != nil {
		t.Fatalf("go env GOMODCACHE: %v", err)
	}
	src := filepath.Join(strings.TrimSpace(string(modcache)), "github.com", "aws", "amazon-ec2-metadata-mock@v1.13.0")
	cmd := exec.Command("go", "build", "-o", filepath.Join(dir, "ec2-metadata-mock"), "./cmd/ec2-metadata-mock")
	cmd.Dir = src
	cmd.Env = append(os.Environ(), "GOPROXY=off", "GOFLAGS=-mod=mod", "GOWORK=off")
	if out, err := cmd.CombinedOutput(); err != nil {
		msg := fmt.Sprintf("cannot build ec2-metadata-mock from the module cache (%v); fetch it once with\n"+
			"  go install github.com/aws/amazon-ec2-metadata-mock/cmd/ec2-metadata-mock@v1.13.0\n%s", err, out)
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return filepath.Join(dir, "ec2-metadata-mock")
}
