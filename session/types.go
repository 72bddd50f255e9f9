// Package session holds rolesw's side effects: base credentials from the SDK's
// providers, the sts:AssumeRole calls of a roles.Plan, the caller identity,
// the child environment, spawning the subshell, and rolesw's state file.
package session

import "time"

// Credentials are AWS credentials. Their String method never shows a secret.
type Credentials struct {
	AccessKeyID     string
	SecretAccessKey string
	SessionToken    string
	// Expires is the zero time for credentials that do not expire.
	Expires time.Time
}

// CanExpire reports whether the credentials have an expiry.
func (c Credentials) CanExpire() bool { return !c.Expires.IsZero() }

// String shows the masked key id only, so credentials can never leak
// through a %v in a log or an error.
func (c Credentials) String() string { return MaskKey(c.AccessKeyID) }

// GoString is String, for %#v.
func (c Credentials) GoString() string { return c.String() }

// MaskKey shows the first four and last four characters of a key id:
// ASIA****WXYZ. Short values are masked whole.
func MaskKey(id string) string {
	if len(id) < 12 {
		return "****"
	}
	return id[:4] + "****" + id[len(id)-4:]
}

// Identity is the answer of sts:GetCallerIdentity.
type Identity struct {
	Account string
	ARN     string
	UserID  string
}

// Unknown reports an identity that could not be learned (no ARN).
func (i Identity) Unknown() bool { return i.ARN == "" }

// Result is what assuming a plan produced.
type Result struct {
	Profile     string
	Credentials Credentials
	// AssumedRoleARN is the last hop's AssumedRoleUser.Arn (or the caller
	// identity of the base credentials for a plan without hops).
	AssumedRoleARN string
	// RoleARN is the last hop's role ARN ("" without hops).
	RoleARN string
	// Region to export into the child ("" when none is known).
	Region string
	// Granted is the duration STS granted for the last hop.
	Granted time.Duration
	// LearnedMaxSeconds is > 0 when STS refused the asked duration and
	// rolesw learned the role's maximum on the way.
	LearnedMaxSeconds int
}
