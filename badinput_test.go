package main

import (
	"strings"
	"testing"
)

// badProfiles are appended to the standard config for TestBadInput.
const badProfiles = `
[profile cyc-a]
role_arn = arn:aws:iam::123456789012:role/A
source_profile = cyc-b

[profile cyc-b]
role_arn = arn:aws:iam::123456789012:role/B
source_profile = cyc-a

[profile both]
role_arn = arn:aws:iam::123456789012:role/B
source_profile = base
credential_source = Environment

[profile lower]
role_arn = arn:aws:iam::123456789012:role/B
credential_source = environment

[profile missing-src]
role_arn = arn:aws:iam::123456789012:role/B
source_profile = nowhere

[profile short]
role_arn = arn:aws:iam::123456789012:role/B
source_profile = base
duration_seconds = 600

[profile badmax]
role_arn = arn:aws:iam::123456789012:role/B
source_profile = base
rolesw_max_session_duration = abc

[profile badname]
role_arn = arn:aws:iam::123456789012:role/B
source_profile = base
role_session_name = has space

[profile keyless]
region = eu-west-1
`

// Every bad input exits 2 with one exact message on stderr, prints nothing
// on stdout, and never reaches STS.
func TestBadInput(t *testing.T) {
	f := newFixture(t)
	f.write("config", strings.Replace(f.readConfig(), "[profile orphan]", badProfiles+"\n[profile orphan]", 1))
	files := map[string]string{
		"bom":     "\xef\xbb\xbf[default]\nregion = x\n",
		"dup":     "[profile a]\nx = 1\n[profile a]\ny = 2\n",
		"before":  "region = x\n[profile a]\n",
		"latin":   "[profile a]\nregion = \xe9\n",
		"nodelim": "[profile a]\njust_a_word\n",
		"dupkey":  "[profile a]\nregion = x\nRegion = y\n",
	}
	for name, content := range files {
		f.write(name, content)
	}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no profile", []string{"exec"}, `exec needs a PROFILE: rolesw exec PROFILE [-- CMD ARGS...] (rolesw list shows the names)`},
		{"unknown profile", []string{"exec", "nope", "--", "true"}, `profile "nope" not found in {dir}/config or {dir}/credentials (fix: run ` + "`rolesw list`" + ` for the names)`},
		{"duration word", []string{"exec", "prod", "-d", "banana", "--", "true"}, `--duration: duration "banana" is not valid: use whole seconds (3600) or hours, minutes and seconds (12h, 90m, 1h30m, 1h 30m, 3600s)`},
		{"duration negative", []string{"exec", "prod", "-d", "-5m", "--", "true"}, `--duration: duration "-5m" is negative: use whole seconds (3600) or hours, minutes and seconds (12h, 90m, 1h30m, 1h 30m, 3600s)`},
		{"duration zero", []string{"exec", "prod", "-d", "0", "--", "true"}, `duration refused: 0s is less than 15m, the STS minimum (900 s)`},
		{"duration floor", []string{"exec", "prod", "-d", "10m", "--", "true"}, `duration refused: 10m is less than 15m, the STS minimum (900 s)`},
		{"duration chaining", []string{"exec", "r2", "-d", "2h", "--", "true"}, `duration refused: 2h is more than 1h: role chaining (base -> R1 -> R2) is capped at 1h by STS`},
		{"session name", []string{"exec", "prod", "--session-name", "a b", "--", "true"}, `--session-name: session name "a b" has ' ' at position 2: use 2 to 64 characters, each a letter, digit or one of _+=,.@- (STS pattern [\w+=,.@-])`},
		{"source identity", []string{"exec", "prod", "--source-identity", "aws:x", "--", "true"}, `--source-identity: source identity "aws:x" begins with "aws:", which STS reserves: use 2 to 64 characters, each a letter, digit or one of _+=,.@- (STS pattern [\w+=,.@-])`},
		{"mfa code short", []string{"exec", "mfa", "--mfa-code", "12", "--", "true"}, `--mfa-code: an MFA code is 6 digits`},
		{"mfa without terminal", []string{"exec", "mfa", "--", "true"}, `profile "mfa" needs an MFA code for arn:aws:iam::111111111111:mfa/tester and there is no terminal to ask on: pass --mfa-code CODE, or --mfa-code - to read it from standard input`},
		{"env format", []string{"env", "prod", "--format", "xml"}, `--format "xml": use sh, fish, powershell or json`},
		{"no source", []string{"exec", "orphan", "--", "true"}, `profile "orphan": Partial credentials found in assume-role, missing: source_profile or credential_source (fix: add source_profile = PROFILE or credential_source = Environment, Ec2InstanceMetadata or EcsContainer)`},
		{"cycle", []string{"exec", "cyc-a", "--", "true"}, `Infinite loop in credential configuration detected. Attempting to load from profile cyc-a which has already been visited. Visited profiles: ['cyc-a', 'cyc-b'] (fix: point source_profile of profile "cyc-b" at a profile with credentials)`},
		{"both sources", []string{"exec", "both", "--", "true"}, `The profile "both" contains both source_profile and credential_source. (fix: keep only one of them)`},
		{"credential_source case", []string{"exec", "lower", "--", "true"}, `The credential source "environment" referenced in profile "lower" is not valid. (fix: use exactly Environment, Ec2InstanceMetadata or EcsContainer (case matters))`},
		{"missing source", []string{"exec", "missing-src", "--", "true"}, `The source_profile "nowhere" referenced in the profile "missing-src" does not exist. (fix: add a [profile nowhere] section or correct source_profile in profile "missing-src")`},
		{"duration_seconds", []string{"exec", "short", "--", "true"}, `profile "short": Invalid value for parameter DurationSeconds, value: 600, valid min value: 900 (fix: set duration_seconds to at least 900 or remove it)`},
		{"max key", []string{"exec", "badmax", "--", "true"}, `profile "badmax": rolesw_max_session_duration "abc" is not a whole number of seconds from 3600 to 43200 (fix: set it to the role's MaxSessionDuration in seconds, e.g. 14400 for 4h)`},
		{"role_session_name", []string{"exec", "badname", "--", "true"}, `profile "badname": role_session_name: session name "has space" has ' ' at position 4: use 2 to 64 characters, each a letter, digit or one of _+=,.@- (STS pattern [\w+=,.@-])`},
		{"not assumable", []string{"exec", "keyless", "--", "true"}, `profile "keyless": cannot be assumed: it has no role_arn and no credentials (fix: add role_arn with source_profile or credential_source, or give it aws_access_key_id and aws_secret_access_key, sso_session or credential_process)`},
		{"extra arg", []string{"exec", "prod", "extra"}, `exec takes one PROFILE; put the command after --: rolesw exec prod -- extra`},
		{"unknown flag", []string{"--bogus"}, `unknown flag: --bogus`},
		{"no terminal", []string{}, `the switcher needs a terminal; without one use "rolesw exec PROFILE -- CMD" or "rolesw list"`},
		{"short and json", []string{"status", "--short", "--json"}, `--short and --json do not go together; pick one`},
		{"config BOM", []string{"list", "--config", "{dir}/bom"}, `unable to parse config file {dir}/bom: line 1: file starts with a UTF-8 byte order mark; save it without BOM`},
		{"config duplicate section", []string{"list", "--config", "{dir}/dup"}, `unable to parse config file {dir}/dup: line 3: duplicate section "profile a" (first at line 1); remove or rename one`},
		{"config key before section", []string{"list", "--config", "{dir}/before"}, `unable to parse config file {dir}/before: line 1: key "region" before the first [section]; add a [profile NAME] header above it`},
		{"config latin-1", []string{"list", "--config", "{dir}/latin"}, `unable to parse config file {dir}/latin: line 2: not valid UTF-8 (column 10); save the file as UTF-8`},
		{"config no delimiter", []string{"list", "--config", "{dir}/nodelim"}, `unable to parse config file {dir}/nodelim: line 2: line has no "=" or ":" (key = value expected)`},
		{"config duplicate key", []string{"exec", "prod", "--config", "{dir}/dupkey"}, `unable to parse config file {dir}/dupkey: line 3: duplicate key "region" in section "profile a"; remove one (key names ignore case)`},
		{"credentials BOM", []string{"list", "--credentials", "{dir}/bom"}, `unable to parse config file {dir}/bom: line 1: file starts with a UTF-8 byte order mark; save it without BOM`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f.sts.Reset()
			args := make([]string, len(tt.args))
			for i, a := range tt.args {
				args[i] = strings.ReplaceAll(a, "{dir}", f.dir)
			}
			r := f.run(nil, args...)
			want := "rolesw: " + strings.ReplaceAll(tt.want, "{dir}", f.dir) + "\n"
			if r.code != 2 || r.stderr != want || r.stdout != "" {
				t.Errorf("rolesw %s:\n exit %d, want 2\n stderr %q\n   want %q\n stdout %q", strings.Join(args, " "), r.code, r.stderr, want, r.stdout)
			}
			if n := len(f.sts.Requests()); n != 0 {
				t.Errorf("%d requests reached STS", n)
			}
		})
	}
}

func (f *fixture) readConfig() string { return f.readFile("config") }

func (f *fixture) readFile(name string) string {
	f.t.Helper()
	b, err := readFile(f.dir + "/" + name)
	if err != nil {
		f.t.Fatal(err)
	}
	return b
}
