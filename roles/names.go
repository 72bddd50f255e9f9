package roles

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// STS limits on RoleSessionName and SourceIdentity (both 2-64 characters of
// the pattern [\w+=,.@-]; STS's \w is Java's, so ASCII only).
const (
	minNameLen = 2
	maxNameLen = 64
	nameRule   = `2 to 64 characters, each a letter, digit or one of _+=,.@- (STS pattern [\w+=,.@-])`
)

// nameByte reports whether b may appear in a session name or source identity.
func nameByte(r rune) bool {
	switch {
	case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		return true
	}
	return strings.ContainsRune("_+=,.@-", r)
}

// DefaultSessionName is the role session name used when neither
// --session-name nor role_session_name gives one: "rolesw-<user>-<unix>",
// cleaned so that STS accepts it. The user part is shortened, never the time,
// so CloudTrail still shows when the session started.
func DefaultSessionName(user string, now time.Time) string {
	suffix := "-" + strconv.FormatInt(now.Unix(), 10)
	u := cleanRunes(user)
	if u == "" {
		return CleanSessionName("rolesw" + suffix)
	}
	if room := maxNameLen - len("rolesw-") - len(suffix); len(u) > room {
		u = u[:max(room, 0)]
	}
	return CleanSessionName("rolesw-" + u + suffix)
}

// CleanSessionName turns s into a name STS accepts: accents are dropped
// ("José" becomes "Jose"), every other character outside [\w+=,.@-] becomes
// "_", the result is cut to 64 characters and padded with "_" to at least 2.
func CleanSessionName(s string) string {
	c := cleanRunes(s)
	if len(c) > maxNameLen {
		c = c[:maxNameLen]
	}
	for len(c) < minNameLen {
		c += "_"
	}
	return c
}

// cleanRunes maps s onto the session-name alphabet without length rules.
func cleanRunes(s string) string {
	var b strings.Builder
	// NFD splits "é" into "e" and a combining accent; the accent is then
	// dropped, which keeps a Latin name readable in CloudTrail.
	for _, r := range norm.NFD.String(strings.ToValidUTF8(s, "_")) {
		switch {
		case nameByte(r):
			b.WriteRune(r)
		case unicode.Is(unicode.Mn, r):
		default:
			b.WriteByte('_')
		}
	}
	return b.String()
}

// ValidateSessionName checks a role session name given by --session-name or
// role_session_name against STS's rule, so a bad name is refused before any
// network call with a message that names the value and the rule.
func ValidateSessionName(s string) error {
	return validateName("session name", s)
}

// ValidateSourceIdentity checks a SourceIdentity (--source-identity or
// source_identity): the session-name rule, and it must not begin with "aws:".
func ValidateSourceIdentity(s string) error {
	if strings.HasPrefix(strings.ToLower(s), "aws:") {
		return fmt.Errorf("source identity %q begins with \"aws:\", which STS reserves: use %s", s, nameRule)
	}
	return validateName("source identity", s)
}

func validateName(what, s string) error {
	for i, r := range s {
		if !nameByte(r) {
			return fmt.Errorf("%s %q has %q at position %d: use %s", what, s, r, utf8.RuneCountInString(s[:i])+1, nameRule)
		}
	}
	if n := len(s); n < minNameLen || n > maxNameLen {
		return fmt.Errorf("%s %q is %d characters long: use %s", what, s, n, nameRule)
	}
	return nil
}

// parseIAMARN splits "arn:PARTITION:iam::ACCOUNT:RESOURCE" and reports
// whether s has that shape with a 12-digit account.
func parseIAMARN(s string) (account, resource string, ok bool) {
	// strings.Cut instead of Split: this runs for every profile of a
	// 20,000-profile list and should not allocate.
	rest, found := strings.CutPrefix(s, "arn:")
	if !found {
		return "", "", false
	}
	partition, rest, found := strings.Cut(rest, ":")
	if !found || partition == "" {
		return "", "", false
	}
	rest, found = strings.CutPrefix(rest, "iam::")
	if !found {
		return "", "", false
	}
	account, resource, found = strings.Cut(rest, ":")
	if !found || len(account) != 12 || !allDigits(account) {
		return "", "", false
	}
	return account, resource, true
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// AccountID returns the 12-digit account of an IAM ARN such as
// "arn:aws:iam::123456789012:role/Admin", or "" when s is not an IAM ARN.
func AccountID(roleARN string) string {
	acct, _, _ := parseIAMARN(roleARN)
	return acct
}

// RoleName returns the role's name without its path ("Admin" for
// "arn:aws:iam::123456789012:role/team/Admin"), or "" when roleARN is not an
// IAM role ARN.
func RoleName(roleARN string) string {
	_, res, ok := parseIAMARN(roleARN)
	if !ok || !strings.HasPrefix(res, "role/") {
		return ""
	}
	name := res[strings.LastIndexByte(res, '/')+1:]
	return name
}
