package roles

import (
	"regexp"
	"strings"
	"testing"
	"time"
)

var stsName = regexp.MustCompile(`^[\w+=,.@-]{2,64}$`)

func TestDefaultSessionName(t *testing.T) {
	now := time.Unix(1700000000, 0)
	for _, tt := range []struct{ user, want string }{
		{"alice", "rolesw-alice-1700000000"},
		{"José García", "rolesw-Jose_Garcia-1700000000"},
		{`CORP\alice`, "rolesw-CORP_alice-1700000000"},
		{"ali:ce/x", "rolesw-ali_ce_x-1700000000"},
		{"first.last@example.com", "rolesw-first.last@example.com-1700000000"},
		{"", "rolesw-1700000000"},
		{"用户", "rolesw-__-1700000000"},
		{"\xff\xfe", "rolesw-_-1700000000"},
		{strings.Repeat("a", 100), "rolesw-" + strings.Repeat("a", 46) + "-1700000000"},
	} {
		t.Run(tt.user, func(t *testing.T) {
			got := DefaultSessionName(tt.user, now)
			if got != tt.want {
				t.Errorf("DefaultSessionName(%q) = %q, want %q", tt.user, got, tt.want)
			}
			if !stsName.MatchString(got) {
				t.Errorf("%q does not match the STS rule", got)
			}
		})
	}
}

func TestCleanSessionName(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"ok-name", "ok-name"},
		{"", "__"},
		{"a", "a_"},
		{"a b", "a_b"},
		{"Zoë", "Zoe"},
		{"tab\there", "tab_here"},
		{strings.Repeat("x", 70), strings.Repeat("x", 64)},
		{"+=,.@-_", "+=,.@-_"},
	} {
		got := CleanSessionName(tt.in)
		if got != tt.want {
			t.Errorf("CleanSessionName(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if ValidateSessionName(got) != nil {
			t.Errorf("CleanSessionName(%q) = %q is refused: %v", tt.in, got, ValidateSessionName(got))
		}
	}
}

const rule = `2 to 64 characters, each a letter, digit or one of _+=,.@- (STS pattern [\w+=,.@-])`

func TestValidateSessionName(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"alice", ""},
		{"ab", ""},
		{strings.Repeat("z", 64), ""},
		{"a+b=c,d.e@f-g_h", ""},
		{"a", `session name "a" is 1 characters long: use ` + rule},
		{"", `session name "" is 0 characters long: use ` + rule},
		{strings.Repeat("z", 65), `session name "` + strings.Repeat("z", 65) + `" is 65 characters long: use ` + rule},
		{"a:b", `session name "a:b" has ':' at position 2: use ` + rule},
		{"josé", `session name "josé" has 'é' at position 4: use ` + rule},
		{"a/b", `session name "a/b" has '/' at position 2: use ` + rule},
	} {
		t.Run(tt.in, func(t *testing.T) {
			err := ValidateSessionName(tt.in)
			if got := errString(err); got != tt.want {
				t.Errorf("ValidateSessionName(%q)\n got: %s\nwant: %s", tt.in, got, tt.want)
			}
		})
	}
}

func TestValidateSourceIdentity(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"alice", ""},
		{"alice@example.com", ""},
		{"aws:alice", `source identity "aws:alice" begins with "aws:", which STS reserves: use ` + rule},
		{"AWS:alice", `source identity "AWS:alice" begins with "aws:", which STS reserves: use ` + rule},
		{"awsalice", ""},
		{"x", `source identity "x" is 1 characters long: use ` + rule},
		{"a b", `source identity "a b" has ' ' at position 2: use ` + rule},
	} {
		t.Run(tt.in, func(t *testing.T) {
			if got := errString(ValidateSourceIdentity(tt.in)); got != tt.want {
				t.Errorf("ValidateSourceIdentity(%q)\n got: %s\nwant: %s", tt.in, got, tt.want)
			}
		})
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func TestARNParts(t *testing.T) {
	for _, tt := range []struct{ arn, account, role string }{
		{"arn:aws:iam::123456789012:role/Admin", "123456789012", "Admin"},
		{"arn:aws:iam::123456789012:role/team/sub/Deploy", "123456789012", "Deploy"},
		{"arn:aws-cn:iam::123456789012:role/Admin", "123456789012", "Admin"},
		{"arn:aws-us-gov:iam::123456789012:role/Admin", "123456789012", "Admin"},
		{"arn:aws:iam::123456789012:user/alice", "123456789012", ""},
		{"arn:aws:sts::123456789012:assumed-role/Admin/s", "", ""},
		{"arn:aws:iam::12345:role/Admin", "", ""},
		{"arn:aws:iam:us-east-1:123456789012:role/Admin", "", ""},
		{`"arn:aws:iam::123456789012:role/Admin"`, "", ""},
		{"", "", ""},
		{"Admin", "", ""},
	} {
		if got := AccountID(tt.arn); got != tt.account {
			t.Errorf("AccountID(%q) = %q, want %q", tt.arn, got, tt.account)
		}
		if got := RoleName(tt.arn); got != tt.role {
			t.Errorf("RoleName(%q) = %q, want %q", tt.arn, got, tt.role)
		}
	}
}
