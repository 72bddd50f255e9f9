package roles

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Every key the planner reads must be found by name, or a profile's setting
// would be silently ignored.
func TestKeyNamesRoundTrip(t *testing.T) {
	for k, name := range keyNames {
		got, ok := keyOf(name)
		if !ok || got != key(k) {
			t.Errorf("keyOf(%q) = %d, %t; want %d", name, got, ok, k)
		}
	}
	for _, name := range []string{"Role_Arn", "role_arn ", "output", ""} {
		if _, ok := keyOf(name); ok {
			t.Errorf("keyOf(%q) found a key; config stores keys lowercased and trimmed, so it must not", name)
		}
	}
}

// A profile with many unrelated settings (S3, CLI, plugins) is read by
// lookups instead of one pass over its keys: it must plan exactly the same.
func TestResolveManyUnrelatedKeys(t *testing.T) {
	cfg := testConfig(t, chainConfig+`
[sso-jump]
sso_session = corp
sso_account_id = 999999999999
sso_role_name = Jump
[via-sso]
role_arn = arn:aws:iam::123456789012:role/Deploy
source_profile = sso-jump
rolesw_max_session_duration = 7200
[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = eu-west-1
`)
	names := cfg.Names()
	want := map[string]*Plan{}
	for _, name := range names {
		p, err := Resolve(cfg, name, Inputs{})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		want[name] = p
	}
	for _, p := range cfg.Profiles {
		for i := range 3 * int(numKeys) {
			p.Keys[fmt.Sprintf("s3_setting_%d", i)] = "x"
		}
	}
	for _, name := range names {
		got, err := Resolve(cfg, name, Inputs{})
		if err != nil {
			t.Fatalf("%s with many keys: %v", name, err)
		}
		if diff := cmp.Diff(want[name], got); diff != "" {
			t.Errorf("%s: plan changed by unrelated keys (-few +many):\n%s", name, diff)
		}
	}
	// The comparison above covers the SSO merge and both bound reasons.
	roleMax := Bound{Kind: BoundRoleMax, Seconds: 7200, Reason: "the role's maximum (rolesw_max_session_duration in profile via-sso)"}
	if diff := cmp.Diff([]Bound{floor, ceiling, roleMax, chaining("sso-jump -> Deploy")}, want["via-sso"].Bounds.All); diff != "" {
		t.Errorf("via-sso bounds (-want +got):\n%s", diff)
	}
}
