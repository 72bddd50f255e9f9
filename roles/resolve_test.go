package roles

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

const chainConfig = `
[dev]
aws_access_key_id = AKIDDEV
aws_secret_access_key = devsecret
region = eu-west-1

[devadmin]
role_arn = arn:aws:iam::111111111111:role/DevAdmin
source_profile = dev
external_id = ext-dev
mfa_serial = arn:aws:iam::000000000000:mfa/alice
duration_seconds = 7200
region = eu-central-1

[ops]
role_arn = arn:aws:iam::222222222222:role/team/OpsRole
source_profile = devadmin
role_session_name = alice-ops
duration_seconds = 1800

[prod]
role_arn = arn:aws:iam::123456789012:role/ProductionAccessRole
source_profile = ops
source_identity = alice
duration_seconds = 2700
region = us-east-1
`

var (
	floor   = Bound{Kind: BoundFloor, Seconds: 900, Reason: "the STS minimum (900 s)"}
	ceiling = Bound{Kind: BoundCeiling, Seconds: 43200, Reason: "the STS maximum (43200 s)"}
)

func chaining(chain string) Bound {
	return Bound{Kind: BoundChaining, Seconds: 3600, Reason: "role chaining (" + chain + ") is capped at 1h by STS"}
}

func TestResolveThreeHopChain(t *testing.T) {
	cfg := testConfig(t, chainConfig)
	got, err := Resolve(cfg, "prod", Inputs{})
	if err != nil {
		t.Fatal(err)
	}
	chain := chaining("dev -> DevAdmin -> OpsRole -> ProductionAccessRole")
	want := &Plan{
		Profile: "prod",
		Region:  "us-east-1", // the selected profile's, never a source's
		Source:  Source{Kind: SourceStatic, Profile: "dev", AccessKeyID: "AKIDDEV", SecretAccessKey: "devsecret"},
		Hops: []Hop{
			{Profile: "devadmin", RoleARN: "arn:aws:iam::111111111111:role/DevAdmin", ExternalID: "ext-dev",
				MFASerial: "arn:aws:iam::000000000000:mfa/alice", DurationSeconds: 7200},
			{Profile: "ops", RoleARN: "arn:aws:iam::222222222222:role/team/OpsRole", RoleSessionName: "alice-ops",
				DurationSeconds: 1800, Chained: true},
			{Profile: "prod", RoleARN: "arn:aws:iam::123456789012:role/ProductionAccessRole", SourceIdentity: "alice",
				DurationSeconds: 2700, Chained: true},
		},
		Bounds:  Bounds{Min: floor, Max: chain, All: []Bound{floor, ceiling, chain}},
		Default: 45 * time.Minute,
		Chain:   "dev (keys) -> DevAdmin @111111111111 -> OpsRole @222222222222 -> ProductionAccessRole @123456789012",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Resolve(prod) mismatch (-want +got):\n%s", diff)
	}
}

func TestResolveSingleHopFromKeys(t *testing.T) {
	cfg := testConfig(t, chainConfig)
	got, err := Resolve(cfg, "devadmin", Inputs{})
	if err != nil {
		t.Fatal(err)
	}
	if got.Region != "eu-central-1" || len(got.Hops) != 1 || got.Hops[0].Chained {
		t.Errorf("devadmin: region %q, hops %+v; want eu-central-1, one unchained hop", got.Region, got.Hops)
	}
	// duration_seconds 7200 is inside [15m, 12h], so it is the default.
	if got.Default != 2*time.Hour || got.Bounds.Max != ceiling {
		t.Errorf("devadmin: default %v, max %+v; want 2h under the STS maximum", got.Default, got.Bounds.Max)
	}
	if got.Chain != "dev (keys) -> DevAdmin @111111111111" {
		t.Errorf("chain %q", got.Chain)
	}
}

func TestResolveSources(t *testing.T) {
	cfg := testConfig(t, `
[keys]
aws_access_key_id = AKID
aws_secret_access_key = secret
[tempkeys]
aws_access_key_id = ASIA
aws_secret_access_key = secret
aws_session_token = token
[proc]
credential_process = /usr/bin/get-creds --profile x
[ssonew]
sso_session = corp
sso_account_id = 999999999999
sso_role_name = ReadOnly
[ssold]
sso_start_url = https://old.awsapps.com/start
sso_region = us-west-2
sso_account_id = 888888888888
sso_role_name = Admin
[web]
web_identity_token_file = /var/run/token
role_arn = arn:aws:iam::777777777777:role/Web
[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = eu-west-1
[r-keys]
role_arn = arn:aws:iam::111111111111:role/R
source_profile = keys
[r-tempkeys]
role_arn = arn:aws:iam::111111111111:role/R
source_profile = tempkeys
[r-proc]
role_arn = arn:aws:iam::111111111111:role/R
source_profile = proc
[r-ssonew]
role_arn = arn:aws:iam::111111111111:role/R
source_profile = ssonew
[r-ssold]
role_arn = arn:aws:iam::111111111111:role/R
source_profile = ssold
[r-web]
role_arn = arn:aws:iam::111111111111:role/R
source_profile = web
[r-env]
role_arn = arn:aws:iam::111111111111:role/R
credential_source = Environment
[r-imds]
role_arn = arn:aws:iam::111111111111:role/R
credential_source = Ec2InstanceMetadata
[r-ecs]
role_arn = arn:aws:iam::111111111111:role/R
credential_source = EcsContainer
`)
	sso := SSO{Session: "corp", StartURL: "https://corp.awsapps.com/start", Region: "eu-west-1", AccountID: "999999999999", RoleName: "ReadOnly"}
	legacy := SSO{StartURL: "https://old.awsapps.com/start", Region: "us-west-2", AccountID: "888888888888", RoleName: "Admin"}
	tests := []struct {
		profile string
		env     bool
		source  Source
		hops    int
		chained bool
		chain   string
	}{
		{"keys", false, Source{Kind: SourceStatic, Profile: "keys", AccessKeyID: "AKID", SecretAccessKey: "secret"}, 0, false, "keys (keys)"},
		{"tempkeys", false, Source{Kind: SourceStatic, Profile: "tempkeys", AccessKeyID: "ASIA", SecretAccessKey: "secret", SessionToken: "token", RoleSession: true}, 0, false, "tempkeys (keys)"},
		{"proc", false, Source{Kind: SourceProcess, Profile: "proc", Process: "/usr/bin/get-creds --profile x"}, 0, false, "proc (credential_process)"},
		{"ssonew", false, Source{Kind: SourceSSO, Profile: "ssonew", SSO: sso, RoleSession: true}, 0, false, "ssonew (sso)"},
		{"ssold", false, Source{Kind: SourceSSO, Profile: "ssold", SSO: legacy, RoleSession: true}, 0, false, "ssold (sso)"},
		{"web", false, Source{Kind: SourceWebIdentity, Profile: "web", WebIdentityTokenFile: "/var/run/token", WebIdentityRoleARN: "arn:aws:iam::777777777777:role/Web", RoleSession: true}, 0, false, "web (web_identity)"},
		{"r-keys", false, Source{Kind: SourceStatic, Profile: "keys", AccessKeyID: "AKID", SecretAccessKey: "secret"}, 1, false, "keys (keys) -> R @111111111111"},
		{"r-tempkeys", false, Source{Kind: SourceStatic, Profile: "tempkeys", AccessKeyID: "ASIA", SecretAccessKey: "secret", SessionToken: "token", RoleSession: true}, 1, true, "tempkeys (keys) -> R @111111111111"},
		{"r-proc", false, Source{Kind: SourceProcess, Profile: "proc", Process: "/usr/bin/get-creds --profile x"}, 1, false, "proc (credential_process) -> R @111111111111"},
		{"r-ssonew", false, Source{Kind: SourceSSO, Profile: "ssonew", SSO: sso, RoleSession: true}, 1, true, "ssonew (sso) -> R @111111111111"},
		{"r-ssold", false, Source{Kind: SourceSSO, Profile: "ssold", SSO: legacy, RoleSession: true}, 1, true, "ssold (sso) -> R @111111111111"},
		{"r-web", false, Source{Kind: SourceWebIdentity, Profile: "web", WebIdentityTokenFile: "/var/run/token", WebIdentityRoleARN: "arn:aws:iam::777777777777:role/Web", RoleSession: true}, 1, true, "web (web_identity) -> R @111111111111"},
		{"r-env", false, Source{Kind: SourceEnvironment, Profile: "r-env"}, 1, false, "r-env (Environment) -> R @111111111111"},
		{"r-env", true, Source{Kind: SourceEnvironment, Profile: "r-env", RoleSession: true}, 1, true, "r-env (Environment) -> R @111111111111"},
		{"r-imds", false, Source{Kind: SourceEc2InstanceMetadata, Profile: "r-imds", RoleSession: true}, 1, true, "r-imds (Ec2InstanceMetadata) -> R @111111111111"},
		{"r-ecs", false, Source{Kind: SourceEcsContainer, Profile: "r-ecs", RoleSession: true}, 1, true, "r-ecs (EcsContainer) -> R @111111111111"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s/env-token=%t", tt.profile, tt.env), func(t *testing.T) {
			got, err := Resolve(cfg, tt.profile, Inputs{EnvHasSessionToken: tt.env})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.source, got.Source); diff != "" {
				t.Errorf("source (-want +got):\n%s", diff)
			}
			if len(got.Hops) != tt.hops {
				t.Fatalf("%d hops, want %d", len(got.Hops), tt.hops)
			}
			if got.Chain != tt.chain {
				t.Errorf("chain %q, want %q", got.Chain, tt.chain)
			}
			if tt.hops == 0 {
				// The base credentials are the result: no duration to pick.
				if got.Default != 0 || got.Bounds.All != nil || got.Last() != nil {
					t.Errorf("zero-hop plan has default %v, bounds %+v", got.Default, got.Bounds)
				}
				if err := got.Bounds.Check(5 * time.Hour); err != nil {
					t.Errorf("zero bounds refuse a duration: %v", err)
				}
				return
			}
			if got.Hops[0].Chained != tt.chained {
				t.Errorf("first hop chained = %t, want %t", got.Hops[0].Chained, tt.chained)
			}
			wantMax := ceiling
			if tt.chained {
				wantMax = chaining(strings.Join([]string{tt.chain[:strings.Index(tt.chain, " (")], "R"}, " -> "))
				if tt.source.Kind >= SourceEnvironment {
					wantMax = chaining(tt.source.Kind.String() + " -> R")
				}
			}
			if got.Bounds.Max != wantMax {
				t.Errorf("max bound %+v, want %+v", got.Bounds.Max, wantMax)
			}
		})
	}
}

func TestResolveStaticKeysStopTheChain(t *testing.T) {
	// base has keys and its own role_arn: the CLI uses the keys and never
	// assumes base's role, so the plan has one hop.
	cfg := testConfig(t, `
[base]
aws_access_key_id = AKID
aws_secret_access_key = secret
role_arn = arn:aws:iam::111111111111:role/Ignored
source_profile = nowhere
[top]
role_arn = arn:aws:iam::222222222222:role/Top
source_profile = base
[self]
aws_access_key_id = AKIDSELF
aws_secret_access_key = secret
role_arn = arn:aws:iam::333333333333:role/Self
source_profile = self
`)
	for _, tt := range []struct{ profile, chain string }{
		{"top", "base (keys) -> Top @222222222222"},
		{"self", "self (keys) -> Self @333333333333"},
	} {
		t.Run(tt.profile, func(t *testing.T) {
			got, err := Resolve(cfg, tt.profile, Inputs{})
			if err != nil {
				t.Fatal(err)
			}
			if got.Chain != tt.chain || len(got.Hops) != 1 || got.Hops[0].Chained {
				t.Errorf("chain %q with hops %+v, want %q and one unchained hop", got.Chain, got.Hops, tt.chain)
			}
		})
	}
}

func TestResolveErrors(t *testing.T) {
	cfg := testConfig(t, `
[keys]
aws_access_key_id = AKID
aws_secret_access_key = s3cr3t
[dev]
aws_access_key_id = AKID
aws_secret_access_key = s3cr3t
[devops]
credential_process = x
[nope-nope]
credential_process = x
[empty]
region = eu-west-1
[half]
aws_access_key_id = AKID
[a]
role_arn = arn:aws:iam::111111111111:role/A
source_profile = b
[b]
role_arn = arn:aws:iam::111111111111:role/B
source_profile = a
[c]
role_arn = arn:aws:iam::111111111111:role/C
source_profile = c
[x1]
role_arn = arn:aws:iam::111111111111:role/X1
source_profile = x2
[x2]
role_arn = arn:aws:iam::111111111111:role/X2
source_profile = x3
[x3]
role_arn = arn:aws:iam::111111111111:role/X3
source_profile = x2
[missing-src]
role_arn = arn:aws:iam::111111111111:role/R
source_profile = X
[partial]
role_arn = arn:aws:iam::111111111111:role/R
credential_process = x
[both]
role_arn = arn:aws:iam::111111111111:role/R
source_profile = keys
credential_source = Environment
[lowercase-env]
role_arn = arn:aws:iam::111111111111:role/R
credential_source = environment
[no-creds-src]
role_arn = arn:aws:iam::111111111111:role/R
source_profile = empty
[half-src]
role_arn = arn:aws:iam::111111111111:role/R
source_profile = half
[short]
role_arn = arn:aws:iam::111111111111:role/R
source_profile = keys
duration_seconds = 600
[negative]
role_arn = arn:aws:iam::111111111111:role/R
source_profile = keys
duration_seconds = -1
[inner-short]
role_arn = arn:aws:iam::111111111111:role/R
source_profile = short
[max-text]
role_arn = arn:aws:iam::111111111111:role/R
source_profile = keys
rolesw_max_session_duration = 4h
[max-low]
role_arn = arn:aws:iam::111111111111:role/R
source_profile = keys
rolesw_max_session_duration = 1800
[max-high]
role_arn = arn:aws:iam::111111111111:role/R
source_profile = keys
rolesw_max_session_duration = 43201
[bad-session]
role_arn = arn:aws:iam::111111111111:role/R
source_profile = keys
role_session_name = alice smith
[short-session]
role_arn = arn:aws:iam::111111111111:role/R
source_profile = keys
role_session_name = a
[bad-identity]
role_arn = arn:aws:iam::111111111111:role/R
source_profile = keys
source_identity = aws:alice
[sso-nosession]
sso_session = gone
sso_account_id = 1
sso_role_name = R
[sso-partial]
sso_account_id = 1
sso_role_name = R
[sso-mismatch]
sso_session = corp
sso_region = us-east-1
sso_account_id = 1
sso_role_name = R
[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = eu-west-1
[web-norole]
web_identity_token_file = /tok
[r-web-norole]
role_arn = arn:aws:iam::111111111111:role/R
source_profile = web-norole
`)
	tests := []struct {
		profile, key, want string
	}{
		{"nope", "", `profile "nope" not found in /home/u/.aws/config or /home/u/.aws/credentials (fix: did you mean "nope-nope"?)`},
		{"zzzzzz", "", `profile "zzzzzz" not found in /home/u/.aws/config or /home/u/.aws/credentials (fix: run ` + "`rolesw list`" + ` for the names)`},
		{"Dev", "", `profile "Dev" not found in /home/u/.aws/config or /home/u/.aws/credentials (fix: did you mean "dev" or "devops"?)`},
		{"empty", "role_arn", `profile "empty": cannot be assumed: it has no role_arn and no credentials (fix: add role_arn with source_profile or credential_source, or give it aws_access_key_id and aws_secret_access_key, sso_session or credential_process)`},
		{"half", "aws_secret_access_key", `profile "half": Partial credentials found in config-file, missing: aws_secret_access_key (fix: set both aws_access_key_id and aws_secret_access_key)`},
		{"a", "source_profile", `Infinite loop in credential configuration detected. Attempting to load from profile a which has already been visited. Visited profiles: ['a', 'b'] (fix: point source_profile of profile "b" at a profile with credentials)`},
		{"c", "source_profile", `Infinite loop in credential configuration detected. Attempting to load from profile c which has already been visited. Visited profiles: ['c'] (fix: point source_profile of profile "c" at a profile with credentials)`},
		{"x1", "source_profile", `Infinite loop in credential configuration detected. Attempting to load from profile x2 which has already been visited. Visited profiles: ['x1', 'x2', 'x3'] (fix: point source_profile of profile "x3" at a profile with credentials)`},
		{"missing-src", "source_profile", `The source_profile "X" referenced in the profile "missing-src" does not exist. (fix: add a [profile X] section or correct source_profile in profile "missing-src")`},
		{"partial", "source_profile", `profile "partial": Partial credentials found in assume-role, missing: source_profile or credential_source (fix: add source_profile = PROFILE or credential_source = Environment, Ec2InstanceMetadata or EcsContainer)`},
		{"both", "credential_source", `The profile "both" contains both source_profile and credential_source. (fix: keep only one of them)`},
		{"lowercase-env", "credential_source", `The credential source "environment" referenced in profile "lowercase-env" is not valid. (fix: use exactly Environment, Ec2InstanceMetadata or EcsContainer (case matters))`},
		{"no-creds-src", "", `The source profile "empty" must have credentials. (fix: give profile "empty" aws_access_key_id and aws_secret_access_key, sso_session or credential_process, or point source_profile of profile "no-creds-src" elsewhere)`},
		{"half-src", "aws_secret_access_key", `profile "half": Partial credentials found in config-file, missing: aws_secret_access_key (fix: set both aws_access_key_id and aws_secret_access_key)`},
		{"short", "duration_seconds", `profile "short": Invalid value for parameter DurationSeconds, value: 600, valid min value: 900 (fix: set duration_seconds to at least 900 or remove it)`},
		{"negative", "duration_seconds", `profile "negative": Invalid value for parameter DurationSeconds, value: -1, valid min value: 900 (fix: set duration_seconds to at least 900 or remove it)`},
		{"inner-short", "duration_seconds", `profile "short": Invalid value for parameter DurationSeconds, value: 600, valid min value: 900 (fix: set duration_seconds to at least 900 or remove it)`},
		{"max-text", "rolesw_max_session_duration", `profile "max-text": rolesw_max_session_duration "4h" is not a whole number of seconds from 3600 to 43200 (fix: set it to the role's MaxSessionDuration in seconds, e.g. 14400 for 4h)`},
		{"max-low", "rolesw_max_session_duration", `profile "max-low": rolesw_max_session_duration "1800" is not a whole number of seconds from 3600 to 43200 (fix: set it to the role's MaxSessionDuration in seconds, e.g. 14400 for 4h)`},
		{"max-high", "rolesw_max_session_duration", `profile "max-high": rolesw_max_session_duration "43201" is not a whole number of seconds from 3600 to 43200 (fix: set it to the role's MaxSessionDuration in seconds, e.g. 14400 for 4h)`},
		{"bad-session", "role_session_name", `profile "bad-session": role_session_name: session name "alice smith" has ' ' at position 6: use 2 to 64 characters, each a letter, digit or one of _+=,.@- (STS pattern [\w+=,.@-])`},
		{"short-session", "role_session_name", `profile "short-session": role_session_name: session name "a" is 1 characters long: use 2 to 64 characters, each a letter, digit or one of _+=,.@- (STS pattern [\w+=,.@-])`},
		{"bad-identity", "source_identity", `profile "bad-identity": source_identity: source identity "aws:alice" begins with "aws:", which STS reserves: use 2 to 64 characters, each a letter, digit or one of _+=,.@- (STS pattern [\w+=,.@-])`},
		{"sso-nosession", "sso_session", `profile "sso-nosession": The specified sso-session does not exist: "gone" (fix: add an [sso-session gone] section with sso_start_url and sso_region, or correct sso_session)`},
		{"sso-partial", "sso_start_url", `The profile "sso-partial" is configured to use SSO but is missing required configuration: sso_start_url, sso_region (fix: run ` + "`aws configure sso`" + ` for this profile)`},
		{"sso-mismatch", "sso_region", `profile "sso-mismatch": The value for sso_region is inconsistent between profile (us-east-1) and sso-session (eu-west-1) (fix: remove sso_region from profile "sso-mismatch" or make it match [sso-session corp])`},
		{"web-norole", "role_arn", `profile "web-norole": is configured to assume role with web identity but has no role ARN configured (fix: add role_arn next to web_identity_token_file)`},
		{"r-web-norole", "role_arn", `profile "web-norole": is configured to assume role with web identity but has no role ARN configured (fix: add role_arn next to web_identity_token_file)`},
	}
	for _, tt := range tests {
		t.Run(tt.profile, func(t *testing.T) {
			plan, err := Resolve(cfg, tt.profile, Inputs{})
			if err == nil {
				t.Fatalf("Resolve(%q) = %+v, want error %q", tt.profile, plan, tt.want)
			}
			if err.Error() != tt.want {
				t.Errorf("error\n got: %s\nwant: %s", err, tt.want)
			}
			var pe *ProfileError
			if !errors.As(err, &pe) {
				t.Fatalf("error %T is not a *ProfileError", err)
			}
			if pe.Key != tt.key {
				t.Errorf("Key = %q, want %q", pe.Key, tt.key)
			}
			if errors.Is(err, ErrNotFound) != (tt.key == "" && strings.Contains(tt.want, "not found")) {
				t.Errorf("errors.Is(ErrNotFound) = %t", errors.Is(err, ErrNotFound))
			}
			if errors.Is(err, ErrNotAssumable) != (tt.profile == "empty") {
				t.Errorf("errors.Is(ErrNotAssumable) = %t", errors.Is(err, ErrNotAssumable))
			}
			if strings.Contains(err.Error(), "s3cr3t") {
				t.Errorf("error shows a secret: %s", err)
			}
		})
	}
}

func TestResolveNilConfig(t *testing.T) {
	_, err := Resolve(nil, "dev", Inputs{})
	if err == nil || err.Error() != `profile "dev" not found (fix: run `+"`rolesw list`"+` for the names)` {
		t.Errorf("Resolve(nil) error = %v", err)
	}
}

func TestResolveDurationSeconds(t *testing.T) {
	base := `
[keys]
aws_access_key_id = AKID
aws_secret_access_key = secret
[sso]
sso_start_url = https://x.awsapps.com/start
sso_region = eu-west-1
sso_account_id = 111111111111
sso_role_name = R
`
	tests := []struct {
		name, extra string
		in          Inputs
		hopSeconds  int
		def         time.Duration
		max         Bound
		all         int
		warning     string
	}{
		{name: "unset", hopSeconds: 0, def: time.Hour, max: ceiling, all: 2},
		{name: "valid", extra: "duration_seconds = 14400", hopSeconds: 14400, def: 4 * time.Hour, max: ceiling, all: 2},
		{name: "floor", extra: "duration_seconds = 900", hopSeconds: 900, def: 15 * time.Minute, max: ceiling, all: 2},
		{name: "python int forms", extra: "duration_seconds =  +1_800 ", hopSeconds: 1800, def: 30 * time.Minute, max: ceiling, all: 2},
		{name: "not an integer", extra: "duration_seconds = 1h", hopSeconds: 0, def: time.Hour, max: ceiling, all: 2,
			warning: `profile "top": duration_seconds "1h" is not a whole number of seconds, so it is ignored as the AWS CLI does (write e.g. 3600)`},
		{name: "quoted", extra: `duration_seconds = "3600"`, hopSeconds: 0, def: time.Hour, max: ceiling, all: 2,
			warning: `profile "top": duration_seconds "\"3600\"" is not a whole number of seconds, so it is ignored as the AWS CLI does (write e.g. 3600)`},
		{name: "above ceiling", extra: "duration_seconds = 50000", hopSeconds: 50000, def: time.Hour, max: ceiling, all: 2,
			warning: `profile "top": duration_seconds 50000 is not used: 13h53m20s is more than 12h: the STS maximum (43200 s); the default is 1h`},
		{name: "huge", extra: "duration_seconds = 99999999999999999999999", hopSeconds: 2147483647, def: time.Hour, max: ceiling, all: 2,
			warning: `profile "top": duration_seconds 2147483647 is not used: 596523h14m7s is more than 12h: the STS maximum (43200 s); the default is 1h`},
		{name: "configured max", extra: "rolesw_max_session_duration = 7200\nduration_seconds = 14400", hopSeconds: 14400, def: time.Hour,
			max: Bound{Kind: BoundRoleMax, Seconds: 7200, Reason: "the role's maximum (rolesw_max_session_duration in profile top)"}, all: 3,
			warning: `profile "top": duration_seconds 14400 is not used: 4h is more than 2h: the role's maximum (rolesw_max_session_duration in profile top); the default is 1h`},
		{name: "configured max beats learned", extra: "rolesw_max_session_duration = 28800",
			in: Inputs{LearnedMax: map[string]int{"arn:aws:iam::111111111111:role/Top": 7200}}, def: time.Hour,
			max: Bound{Kind: BoundRoleMax, Seconds: 28800, Reason: "the role's maximum (rolesw_max_session_duration in profile top)"}, all: 3},
		{name: "learned max", extra: "duration_seconds = 7200",
			in: Inputs{LearnedMax: map[string]int{"arn:aws:iam::111111111111:role/Top": 7200}}, hopSeconds: 7200, def: 2 * time.Hour,
			max: Bound{Kind: BoundRoleMax, Seconds: 7200, Reason: "the role's maximum (learned from STS)"}, all: 3},
		{name: "learned below the floor is ignored", in: Inputs{LearnedMax: map[string]int{"arn:aws:iam::111111111111:role/Top": 60}},
			def: time.Hour, max: ceiling, all: 2},
		{name: "learned for another role", in: Inputs{LearnedMax: map[string]int{"arn:aws:iam::111111111111:role/Other": 7200}},
			def: time.Hour, max: ceiling, all: 2},
		{name: "chained from sso", extra: "source_profile = sso\nduration_seconds = 7200", hopSeconds: 7200, def: time.Hour,
			max: chaining("sso -> Top"), all: 3,
			warning: `profile "top": duration_seconds 7200 is not used: 2h is more than 1h: role chaining (sso -> Top) is capped at 1h by STS; the default is 1h`},
		{name: "chaining ties with learned 1h", extra: "source_profile = sso",
			in:  Inputs{LearnedMax: map[string]int{"arn:aws:iam::111111111111:role/Top": 3600}},
			def: time.Hour, max: chaining("sso -> Top"), all: 4},
		{name: "chained, shorter configured max", extra: "source_profile = sso\nrolesw_max_session_duration = 3600\nduration_seconds = 1200",
			hopSeconds: 1200, def: 20 * time.Minute, max: chaining("sso -> Top"), all: 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			extra := tt.extra
			if !strings.Contains(extra, "source_profile") {
				extra += "\nsource_profile = keys"
			}
			cfg := testConfig(t, base+"[top]\nrole_arn = arn:aws:iam::111111111111:role/Top\n"+extra)
			plan, err := Resolve(cfg, "top", tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if got := plan.Last().DurationSeconds; got != tt.hopSeconds {
				t.Errorf("hop DurationSeconds = %d, want %d", got, tt.hopSeconds)
			}
			if plan.Default != tt.def {
				t.Errorf("Default = %v, want %v", plan.Default, tt.def)
			}
			if plan.Bounds.Max != tt.max {
				t.Errorf("Max = %+v, want %+v", plan.Bounds.Max, tt.max)
			}
			if plan.Bounds.Min != floor || len(plan.Bounds.All) != tt.all {
				t.Errorf("Min %+v, All %+v (want %d bounds)", plan.Bounds.Min, plan.Bounds.All, tt.all)
			}
			var want []string
			if tt.warning != "" {
				want = []string{tt.warning}
			}
			if diff := cmp.Diff(want, plan.Warnings); diff != "" {
				t.Errorf("warnings (-want +got):\n%s", diff)
			}
		})
	}
}

func TestResolveWarnings(t *testing.T) {
	cfg := testConfig(t, `
[sso]
sso_start_url = https://x.awsapps.com/start
sso_region = eu-west-1
sso_account_id = 111111111111
sso_role_name = R
[inner]
role_arn = arn:aws:iam::111111111111:role/Inner
source_profile = sso
duration_seconds = 7200
[outer]
role_arn = "arn:aws:iam::222222222222:role/Outer"
source_profile = inner
`)
	plan, err := Resolve(cfg, "outer", Inputs{})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		`profile "inner": duration_seconds 7200 is more than 3600 s, the role chaining limit, so STS will refuse this hop`,
		`profile "outer": role_arn "\"arn:aws:iam::222222222222:role/Outer\"" is not an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME); STS will refuse it`,
	}
	if diff := cmp.Diff(want, plan.Warnings); diff != "" {
		t.Errorf("warnings (-want +got):\n%s", diff)
	}
	if plan.Chain != `sso (sso) -> Inner @111111111111 -> "arn:aws:iam::222222222222:role/Outer"` {
		t.Errorf("chain %q", plan.Chain)
	}
}

func TestSourcePrintsNoSecrets(t *testing.T) {
	cfg := testConfig(t, chainConfig+"\n[temp]\naws_access_key_id = ASIAX\naws_secret_access_key = s3cr3tKEY\naws_session_token = t0k3nVALUE\n")
	plan, err := Resolve(cfg, "temp", Inputs{})
	if err != nil {
		t.Fatal(err)
	}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		out := fmt.Sprintf(verb, plan)
		if strings.Contains(out, "s3cr3tKEY") || strings.Contains(out, "t0k3nVALUE") {
			t.Errorf("%s of a Plan shows a secret: %s", verb, out)
		}
		if !strings.Contains(out, "ASIAX") {
			t.Errorf("%s of a Plan lost the access key id: %s", verb, out)
		}
	}
}

func TestPyList(t *testing.T) {
	for _, tt := range []struct {
		in   []string
		want string
	}{
		{[]string{"a", "b"}, `['a', 'b']`},
		{[]string{"it's"}, `["it's"]`},
		{[]string{`say "hi"`}, `['say "hi"']`},
		{[]string{`it's "x"`}, `['it\'s "x"']`},
		{[]string{`back\slash`, "tab\there", "ünï"}, `['back\\slash', 'tab\there', 'ünï']`},
	} {
		if got := pyList(tt.in); got != tt.want {
			t.Errorf("pyList(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestResolveCycleWithQuotedNames(t *testing.T) {
	cfg := testConfig(t, `
[it's]
role_arn = arn:aws:iam::111111111111:role/A
source_profile = b c
[b c]
role_arn = arn:aws:iam::111111111111:role/B
source_profile = it's
`)
	_, err := Resolve(cfg, "it's", Inputs{})
	want := `Infinite loop in credential configuration detected. Attempting to load from profile it's which has already been visited. Visited profiles: ["it's", 'b c'] (fix: point source_profile of profile "b c" at a profile with credentials)`
	if err == nil || err.Error() != want {
		t.Errorf("error\n got: %v\nwant: %s", err, want)
	}
}
