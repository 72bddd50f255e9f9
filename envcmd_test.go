package main

import (
	"encoding/json"
	"fmt"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/rolesw/rolesw/session"
)

// `rolesw env` output, sourced by a real sh, gives the same variables as
// the exec subshell.
func TestEnvShSourced(t *testing.T) {
	f := newFixture(t)
	r := f.run([]string{"AWS_PROFILE=old", "AWS_SECURITY_TOKEN=stale"}, "env", "prod", "-d", "30m")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	for _, want := range []string{"unset AWS_PROFILE\n", "unset AWS_SECURITY_TOKEN\n", "export AWS_ACCESS_KEY_ID='ASIA", "export ROLESW_PROFILE='prod'\n", "export AWS_REGION='eu-west-1'\n"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("env output lacks %q:\n%s", want, r.stdout)
		}
	}
	sh := exec.Command("/bin/sh", "-c", r.stdout+"\necho \"$ROLESW_IDENTITY|${AWS_PROFILE-unset}|${AWS_SECURITY_TOKEN-unset}|$AWS_CREDENTIAL_EXPIRATION\"")
	sh.Env = append(append([]string(nil), f.env...), "AWS_PROFILE=old", "AWS_SECURITY_TOKEN=stale")
	out, err := sh.CombinedOutput()
	if err != nil {
		t.Fatalf("sourcing the output: %v\n%s", err, out)
	}
	parts := strings.Split(strings.TrimSpace(string(out)), "|")
	if len(parts) != 4 || !strings.HasPrefix(parts[0], "arn:aws:sts::123456789012:assumed-role/ProdAccess/") || parts[1] != "unset" || parts[2] != "unset" {
		t.Fatalf("after sourcing: %q", out)
	}
	exp, err := time.Parse(time.RFC3339, parts[3])
	if err != nil || time.Until(exp) < 29*time.Minute || time.Until(exp) > 31*time.Minute {
		t.Errorf("expiry %q is not 30m ahead", parts[3])
	}
}

func TestEnvFormats(t *testing.T) {
	res := &session.Result{Profile: "p", Credentials: session.Credentials{AccessKeyID: "ASIAEXAMPLE000000001", SecretAccessKey: "se'cr\\et", SessionToken: "tok",
		Expires: time.Date(2026, 11, 26, 20, 0, 0, 0, time.UTC)}, AssumedRoleARN: "arn:aws:sts::1:assumed-role/R/s", RoleARN: "arn:aws:iam::1:role/R"}
	parent := []string{"AWS_PROFILE=x", "HOME=/h"}
	tests := []struct {
		format string
		want   []string
	}{
		{"sh", []string{"unset AWS_PROFILE\n", `export AWS_SECRET_ACCESS_KEY='se'\''cr\et'` + "\n"}},
		{"fish", []string{"set -e AWS_PROFILE\n", `set -gx AWS_SECRET_ACCESS_KEY 'se\'cr\\et'` + "\n"}},
		{"powershell", []string{"Remove-Item Env:AWS_PROFILE -ErrorAction SilentlyContinue\n", `$Env:AWS_SECRET_ACCESS_KEY = 'se''cr\et'` + "\n"}},
		{"json", []string{`"Version": 1`, `"AccessKeyId": "ASIAEXAMPLE000000001"`, `"Expiration": "2026-11-26T20:00:00Z"`}},
	}
	for _, tt := range tests {
		t.Run(tt.format, func(t *testing.T) {
			var b strings.Builder
			if err := writeEnv(&b, tt.format, res, parent); err != nil {
				t.Fatal(err)
			}
			for _, w := range tt.want {
				if !strings.Contains(b.String(), w) {
					t.Errorf("%s output lacks %q:\n%s", tt.format, w, b.String())
				}
			}
			if strings.Contains(b.String(), "HOME") {
				t.Errorf("%s output touches a variable rolesw does not change:\n%s", tt.format, b.String())
			}
		})
	}
}

// `rolesw env --format json` is accepted by the AWS CLI as
// credential_process output.
func TestEnvJSONAsCredentialProcess(t *testing.T) {
	aws := awsCLI(t)
	f := newFixture(t)
	cfg := f.readConfig() + fmt.Sprintf("\n[profile via-rolesw]\ncredential_process = %s env prod --format json\n", roleswBin)
	f.write("config", cfg)
	cmd := exec.Command(aws, "--profile", "via-rolesw", "--endpoint-url", f.sts.URL(), "sts", "get-caller-identity", "--output", "json")
	cmd.Env = append(append([]string(nil), f.env...), "AWS_PAGER=", "AWS_REGION=us-east-1")
	out, err := cmd.CombinedOutput()
	f.noSecrets("aws via credential_process", string(out))
	if err != nil {
		t.Fatalf("aws with credential_process = rolesw env: %v\n%s", err, out)
	}
	var id struct{ Arn string }
	if err := json.Unmarshal(out, &id); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if !strings.HasPrefix(id.Arn, "arn:aws:sts::123456789012:assumed-role/ProdAccess/") {
		t.Errorf("the AWS CLI got %q through credential_process", id.Arn)
	}
}

// status: --short from the environment alone, the full form from STS, and
// the exit status a prompt relies on.
func TestStatus(t *testing.T) {
	f := newFixture(t)
	soon := time.Now().Add(41*time.Minute + 30*time.Second).UTC().Format(time.RFC3339)
	past := time.Now().Add(-3 * time.Minute).UTC().Format(time.RFC3339)
	tests := []struct {
		name string
		env  []string
		args []string
		code int
		want string
	}{
		{"short in a rolesw session", []string{"ROLESW_PROFILE=prodaccess", "AWS_ACCESS_KEY_ID=ASIAX", "AWS_SESSION_TOKEN=t", "AWS_CREDENTIAL_EXPIRATION=" + soon}, []string{"status", "--short"}, 0, "prodaccess 41m\n"},
		{"short expired", []string{"ROLESW_PROFILE=prodaccess", "AWS_ACCESS_KEY_ID=ASIAX", "AWS_CREDENTIAL_EXPIRATION=" + past}, []string{"status", "--short"}, 1, "prodaccess expired\n"},
		{"short aws-vault", []string{"AWS_VAULT=ops", "AWS_ACCESS_KEY_ID=ASIAX", "AWS_SESSION_EXPIRATION=" + soon}, []string{"status", "--short"}, 0, "ops 41m\n"},
		{"short nothing", nil, []string{"status", "--short"}, 1, ""},
		{"full long-term keys", []string{"AWS_ACCESS_KEY_ID=" + baseKeyID, "AWS_SECRET_ACCESS_KEY=" + baseSecret},
			[]string{"status"}, 0, "arn:aws:iam::111111111111:user/base\n  account  111111111111\n  source   environment\n  expires  never (long-term keys)\n"},
		{"full no credentials", []string{"AWS_CONFIG_FILE=", "AWS_SHARED_CREDENTIALS_FILE="}, []string{"status"}, 1, "no credentials: nothing in the environment and no usable profile\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := f.run(tt.env, tt.args...)
			if r.code != tt.code || r.stdout != tt.want {
				t.Errorf("exit %d stdout %q (stderr %q), want exit %d stdout %q", r.code, r.stdout, r.stderr, tt.code, tt.want)
			}
		})
	}
	t.Run("json expired", func(t *testing.T) {
		r := f.run([]string{"AWS_ACCESS_KEY_ID=" + baseKeyID, "AWS_SECRET_ACCESS_KEY=" + baseSecret, "AWS_CREDENTIAL_EXPIRATION=" + past}, "status", "--json")
		var s statusJSON
		if err := json.Unmarshal([]byte(r.stdout), &s); err != nil {
			t.Fatalf("%v: %q", err, r.stdout)
		}
		if r.code != 1 || s.Valid || s.SecondsLeft == nil || *s.SecondsLeft > -170 || s.ARN != "arn:aws:iam::111111111111:user/base" {
			t.Errorf("exit %d, %+v", r.code, s)
		}
	})
}

// A rolesw inside a rolesw subshell: the depth grows, and role profiles
// still take their source from the config, not from the outer session.
func TestNested(t *testing.T) {
	f := newFixture(t)
	r := f.run(nil, "exec", "prod", "--", roleswBin, "exec", "r1", "--", "sh", "-c", `echo "$ROLESW_DEPTH $ROLESW_PROFILE $ROLESW_IDENTITY"`)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if !strings.HasPrefix(r.stdout, "2 r1 arn:aws:sts::222222222222:assumed-role/R1/hop-one") {
		t.Errorf("nested child sees %q", r.stdout)
	}
	reqs := f.sts.Requests()
	if len(reqs) != 2 || reqs[1].AccessKeyID != baseKeyID {
		t.Errorf("the inner rolesw should sign with the config's base key, not the outer session: %+v", reqs)
	}
}

// --debug writes a log in the state directory with masked key ids and no
// secret: the fixture's cleanup scans every file there for the planted ones.
func TestDebugLog(t *testing.T) {
	f := newFixture(t)
	r := f.run(nil, "exec", "r2", "--debug", "--", "sh", "-c", "echo $AWS_SECRET_ACCESS_KEY $AWS_SESSION_TOKEN > "+f.dir+"/child-secrets")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	log, err := readFile(f.dir + "/state/rolesw/debug.log")
	if err != nil {
		t.Fatalf("no debug log: %v", err)
	}
	if !strings.Contains(log, "AKIA****0001") {
		t.Errorf("the log does not name the masked base key:\n%s", log)
	}
	child, _ := readFile(f.dir + "/child-secrets")
	for _, s := range strings.Fields(child) {
		if strings.Contains(log, s) {
			t.Errorf("the log holds the session's secret key or token")
		}
	}
	if strings.Contains(log, baseKeyID) {
		t.Errorf("the log holds an unmasked key id")
	}
}
