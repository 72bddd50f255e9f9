package main

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rolesw/rolesw/session/localsts"
)

// roleswBin is the binary built once for the end-to-end tests: the code
// under test is the program users run.
var roleswBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "rolesw-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	roleswBin = filepath.Join(dir, "rolesw")
	if out, err := exec.Command("go", "build", "-o", roleswBin, ".").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "building rolesw: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// needTool skips when a tool is missing on a developer machine and fails
// under CI, which must never pass by skipping.
func needTool(t testing.TB, ok bool, what string) {
	t.Helper()
	if ok {
		return
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("%s is required in CI (install it: apt-get install -y tmux awscli)", what)
	}
	t.Skipf("%s not found; skipping (CI installs it)", what)
}

// awsCLI returns /usr/bin/aws when it is the AWS CLI v2.
func awsCLI(t testing.TB) string {
	t.Helper()
	out, err := exec.Command("/usr/bin/aws", "--version").CombinedOutput()
	needTool(t, err == nil && bytes.HasPrefix(out, []byte("aws-cli/2")), "the AWS CLI v2 at /usr/bin/aws")
	return "/usr/bin/aws"
}

// The planted base credentials: they must never appear in any output,
// error, log or state file.
const (
	baseKeyID  = "AKIAPLANTEDBASE00001"
	baseSecret = "PlantedSecretKey/DoNotLeak+0123456789abcdef"
	baseUser   = "base"
	baseAcct   = "111111111111"
)

// fixture is one world: a loopback STS, config files, a state dir and the
// environment rolesw runs with.
type fixture struct {
	t     *testing.T
	sts   *localsts.Server
	dir   string
	env   []string
	token string // a planted session token (profile sessbase)
}

// standardConfig is the config the end-to-end tests share. %[1]s is the
// directory of the fixture.
const standardConfig = `[profile prod]
role_arn = arn:aws:iam::123456789012:role/ProdAccess
source_profile = base
region = eu-west-1

[profile r1]
role_arn = arn:aws:iam::222222222222:role/R1
source_profile = base
external_id = ext-one
role_session_name = hop-one
duration_seconds = 1800

[profile r2]
role_arn = arn:aws:iam::333333333333:role/R2
source_profile = r1
external_id = ext-two

[profile r3]
role_arn = arn:aws:iam::444444444444:role/R3
source_profile = r2
role_session_name = hop-three
region = us-west-2

[profile limited]
role_arn = arn:aws:iam::123456789012:role/Limited
source_profile = base

[profile mfa]
role_arn = arn:aws:iam::123456789012:role/MFARole
source_profile = base
mfa_serial = arn:aws:iam::111111111111:mfa/tester

[profile env-src]
role_arn = arn:aws:iam::123456789012:role/ProdAccess
credential_source = Environment

[profile procbase]
credential_process = %[1]s/creds.sh

[profile proc]
role_arn = arn:aws:iam::123456789012:role/ProdAccess
source_profile = procbase

[profile from-session]
role_arn = arn:aws:iam::123456789012:role/ProdAccess
source_profile = sessbase

[profile orphan]
role_arn = arn:aws:iam::123456789012:role/ProdAccess
`

func newFixture(t *testing.T) *fixture {
	t.Helper()
	srv, err := localsts.Start(localsts.Options{Account: baseAcct, SingleUseMFA: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	srv.AddUser(localsts.User{Name: baseUser, Account: baseAcct, AccessKeyID: baseKeyID, SecretAccessKey: baseSecret})
	for _, r := range []localsts.Role{
		{ARN: "arn:aws:iam::123456789012:role/ProdAccess", MaxSessionDuration: 12 * time.Hour},
		{ARN: "arn:aws:iam::222222222222:role/R1", MaxSessionDuration: 4 * time.Hour, ExternalID: "ext-one"},
		{ARN: "arn:aws:iam::333333333333:role/R2", ExternalID: "ext-two"},
		{ARN: "arn:aws:iam::444444444444:role/R3"},
		{ARN: "arn:aws:iam::123456789012:role/Limited", MaxSessionDuration: 2 * time.Hour},
		{ARN: "arn:aws:iam::123456789012:role/MFARole", MFASerial: "arn:aws:iam::111111111111:mfa/tester"},
	} {
		srv.AddRole(r)
	}
	srv.SetMFACode("arn:aws:iam::111111111111:mfa/tester", "424242")
	sessKey, sessSecret, sessToken := srv.Issue("arn:aws:iam::111111111111:role/Workstation", "planted",
		time.Now().Add(-time.Minute), time.Now().Add(time.Hour))

	dir := t.TempDir()
	f := &fixture{t: t, sts: srv, dir: dir, token: sessToken}
	f.write("config", fmt.Sprintf(standardConfig, dir))
	f.write("credentials", fmt.Sprintf("[base]\naws_access_key_id = %s\naws_secret_access_key = %s\n\n[sessbase]\naws_access_key_id = %s\naws_secret_access_key = %s\naws_session_token = %s\n",
		baseKeyID, baseSecret, sessKey, sessSecret, sessToken))
	f.write("creds.sh", fmt.Sprintf("#!/bin/sh\nprintf '{\"Version\": 1, \"AccessKeyId\": \"%s\", \"SecretAccessKey\": \"%s\"}'\n", baseKeyID, baseSecret))
	if err := os.Chmod(filepath.Join(dir, "creds.sh"), 0o755); err != nil {
		t.Fatal(err)
	}
	f.env = []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + dir,
		"USER=tester",
		"LANG=C.UTF-8",
		"AWS_CONFIG_FILE=" + filepath.Join(dir, "config"),
		"AWS_SHARED_CREDENTIALS_FILE=" + filepath.Join(dir, "credentials"),
		"AWS_ENDPOINT_URL_STS=" + srv.URL(),
		"AWS_EC2_METADATA_DISABLED=true",
		"XDG_STATE_HOME=" + filepath.Join(dir, "state"),
	}
	t.Cleanup(f.scanFiles)
	return f
}

func (f *fixture) write(name, content string) string {
	f.t.Helper()
	p := filepath.Join(f.dir, name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		f.t.Fatal(err)
	}
	return p
}

// result is one finished run of the binary.
type result struct {
	code           int
	stdout, stderr string
}

// run runs rolesw with the fixture's environment plus extra variables.
func (f *fixture) run(extraEnv []string, args ...string) result {
	f.t.Helper()
	cmd := exec.Command(roleswBin, args...)
	cmd.Env = append(append([]string(nil), f.env...), extraEnv...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	cmd.Stdin = strings.NewReader("")
	err := cmd.Run()
	r := result{stdout: out.String(), stderr: errb.String()}
	if ee, ok := err.(*exec.ExitError); ok {
		r.code = ee.ExitCode()
	} else if err != nil {
		f.t.Fatalf("running rolesw %v: %v", args, err)
	}
	f.noSecrets("rolesw "+strings.Join(args, " "), r.stdout+r.stderr)
	return r
}

// noSecrets fails when a planted secret shows in text.
func (f *fixture) noSecrets(where, text string) {
	f.t.Helper()
	for _, s := range []string{baseSecret, f.token} {
		if s != "" && strings.Contains(text, s) {
			f.t.Errorf("%s: output contains a planted secret (%d characters, starting %q)", where, len(s), s[:4])
		}
	}
}

// scanFiles checks every file rolesw wrote (state, logs) for secrets.
func (f *fixture) scanFiles() {
	_ = filepath.WalkDir(filepath.Join(f.dir, "state"), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		b, err := os.ReadFile(p)
		if err == nil {
			f.noSecrets(p, string(b))
		}
		return nil
	})
}

func readFile(p string) (string, error) {
	b, err := os.ReadFile(p)
	return string(b), err
}
