package session

import (
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/rolesw/rolesw/roles"
)

// dropExact are the variables ChildEnv removes from the parent's
// environment: inherited credentials and profile selectors that would
// describe the wrong identity inside the subshell, and every variable
// ChildEnv sets itself.
var dropExact = []string{
	"AWS_PROFILE",
	"AWS_DEFAULT_PROFILE",
	// The AWS CLI reads AWS_SECURITY_TOKEN before AWS_SESSION_TOKEN, so a
	// stale parent value would be sent with the new keys.
	"AWS_SECURITY_TOKEN",
	"AWS_CREDENTIAL_FILE",
	"AWS_ROLE_ARN",
	"AWS_WEB_IDENTITY_TOKEN_FILE",
	"AWS_ROLE_SESSION_NAME",
	"AWS_VAULT",
	"AWS_SSO_PROFILE",
	"AWS_SSO_SESSION_EXPIRATION",
	// aws-sdk-go-v2 also accepts these spellings of the key pair; they
	// are inherited credentials too.
	"AWS_ACCESS_KEY",
	"AWS_SECRET_KEY",
	// Set below.
	"AWS_ACCESS_KEY_ID",
	"AWS_SECRET_ACCESS_KEY",
	"AWS_SESSION_TOKEN",
	"AWS_CREDENTIAL_EXPIRATION",
	"AWS_SESSION_EXPIRATION",
	"ROLESW_PROFILE",
	"ROLESW_ROLE_ARN",
	"ROLESW_IDENTITY",
	"ROLESW_DEPTH",
}

// dropPrefix are the variable families ChildEnv removes.
var dropPrefix = []string{
	"AWS_CONTAINER_CREDENTIALS_",
	"AWS_CONTAINER_AUTHORIZATION_TOKEN",
	"AWSUME_",
}

// envName normalises a variable name for comparison: Windows names are
// case-insensitive.
func envName(k string) string {
	if runtime.GOOS == "windows" {
		return strings.ToUpper(k)
	}
	return k
}

func dropped(name string, regionSet bool) bool {
	n := envName(name)
	for _, d := range dropExact {
		if n == d {
			return true
		}
	}
	for _, p := range dropPrefix {
		if strings.HasPrefix(n, p) {
			return true
		}
	}
	// The region variables are replaced only when rolesw knows a region;
	// otherwise the parent's (if any) still applies in the child.
	return regionSet && (n == "AWS_REGION" || n == "AWS_DEFAULT_REGION")
}

// ChildEnv builds the child's environment from parent (os.Environ form):
// the parent's variables less inherited credentials and profile selectors,
// plus the result's credentials, expiry, region and the ROLESW_* markers.
func ChildEnv(parent []string, res *Result) []string {
	region := res.Region
	if region == "aws-global" {
		// A pseudo-region for the global STS endpoint; other services
		// would fail with it.
		region = ""
	}
	depth := 0
	out := make([]string, 0, len(parent)+12)
	for _, kv := range parent {
		name, value, _ := strings.Cut(kv, "=")
		if envName(name) == "ROLESW_DEPTH" {
			if n, err := strconv.Atoi(strings.TrimSpace(value)); err == nil && n > 0 {
				depth = n
			}
		}
		if dropped(name, region != "") {
			continue
		}
		out = append(out, kv)
	}
	c := res.Credentials
	out = append(out,
		"AWS_ACCESS_KEY_ID="+c.AccessKeyID,
		"AWS_SECRET_ACCESS_KEY="+c.SecretAccessKey,
	)
	if c.SessionToken != "" {
		out = append(out, "AWS_SESSION_TOKEN="+c.SessionToken)
	}
	if c.CanExpire() {
		exp := c.Expires.UTC().Format(time.RFC3339)
		out = append(out, "AWS_CREDENTIAL_EXPIRATION="+exp, "AWS_SESSION_EXPIRATION="+exp)
	}
	if region != "" {
		out = append(out, "AWS_REGION="+region, "AWS_DEFAULT_REGION="+region)
	}
	out = append(out,
		"ROLESW_PROFILE="+res.Profile,
		"ROLESW_ROLE_ARN="+res.RoleARN,
		"ROLESW_IDENTITY="+res.AssumedRoleARN,
		"ROLESW_DEPTH="+strconv.Itoa(depth+1),
	)
	return out
}

// Banner is the line printed on stderr before the subshell starts: which
// profile and identity it holds, until when, and what exit returns to.
func Banner(res *Result, original Identity, now time.Time) string {
	var b strings.Builder
	fmt.Fprintf(&b, "rolesw: %s", res.Profile)
	if res.AssumedRoleARN != "" {
		fmt.Fprintf(&b, " as %s", res.AssumedRoleARN)
	}
	if c := res.Credentials; c.CanExpire() {
		exp := c.Expires.In(now.Location())
		left := exp.Sub(now).Round(time.Minute)
		if left > 0 {
			fmt.Fprintf(&b, ", expires %s (%s)", exp.Format("15:04 MST"), roles.FormatDuration(left))
		} else {
			fmt.Fprintf(&b, ", expired at %s", exp.Format("15:04 MST"))
		}
	} else {
		b.WriteString(", no expiry")
	}
	if original.Unknown() {
		b.WriteString("; exit to return")
	} else {
		fmt.Fprintf(&b, "; exit to return to %s", original.ARN)
	}
	return b.String()
}
