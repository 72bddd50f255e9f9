// Package session holds rolesw's side effects: base credentials from the SDK's
// providers, the sts:AssumeRole calls of a roles.Plan, the caller identity,
// the child environment, spawning the subshell, and rolesw's state file.
package session

import (
	"context"
	"fmt"
	"time"

	"github.com/rolesw/rolesw/roles"
)

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

// Request is what the user chose for one assume.
type Request struct {
	// Duration for the last hop; 0 means the plan's default.
	Duration time.Duration
	// SessionName overrides every hop's session name ("" keeps each hop's
	// role_session_name or the generated rolesw-<user>-<unix> name).
	SessionName string
	// SourceIdentity overrides the profiles' source_identity.
	SourceIdentity string
	// MFACode returns the code for an MFA serial; it is called once per
	// hop that has mfa_serial, before that hop's request. nil with an MFA
	// hop is an error that says how to give a code.
	MFACode func(ctx context.Context, serial string) (string, error)
	// NewMFACode is asked for the device's next code when an MFA hop must
	// be sent again while Assume learns the role's maximum: STS refused
	// the duration, and the retry an hour lower was refused the code
	// already sent, because STS takes each code once. nil: Assume stops
	// with an *MFASpentError.
	NewMFACode func(ctx context.Context, ask MFAAsk) (string, error)
}

// MFAAsk is why Assume needs another MFA code.
type MFAAsk struct {
	Serial string
	// Refused is the duration STS refused as above the role's maximum;
	// Next is the one the new code will be sent with.
	Refused, Next time.Duration
	// Why says it in a sentence, for a prompt.
	Why string
}

// MFASpentError is Assume stopping while it learned a role's maximum: STS
// refused Refused as above the role's MaxSessionDuration, and then would
// not take the same MFA code again to try Next, and there was no way to
// ask for another (Request.NewMFACode is nil).
type MFASpentError struct {
	Profile, RoleARN string
	Refused, Next    time.Duration
}

func (e *MFASpentError) Error() string {
	return fmt.Sprintf("STS refused %s for %s: it is above the role's maximum session, and STS takes each MFA code once, so rolesw could not try %s with the same code; "+
		"pick %s or less and enter a new code, or set rolesw_max_session_duration in profile %s once you know the maximum",
		roles.FormatDuration(e.Refused), e.RoleARN, roles.FormatDuration(e.Next), roles.FormatDuration(e.Next), e.Profile)
}

// Ambient describes the credentials rolesw itself runs with: who they are
// and how long they last.
type Ambient struct {
	// HasCredentials is false when no credentials could be found at all.
	HasCredentials bool
	// Identity from GetCallerIdentity; IdentityErr when that call failed
	// (the header then says "identity unknown" and why).
	Identity    Identity
	IdentityErr error
	// Expires is the absolute expiry (zero when unknown or long-term).
	Expires time.Time
	// ExpirySource names where Expires came from: "AWS_CREDENTIAL_EXPIRATION",
	// "AWS_SESSION_EXPIRATION", "AWS_SSO_SESSION_EXPIRATION",
	// "AWSUME_EXPIRATION" or "credentials".
	ExpirySource string
	// LongTerm is true for static keys without a session token.
	LongTerm bool
	// Source says where the credentials came from ("environment",
	// "profile default", ...).
	Source string
	// Profile and Depth are set inside a rolesw subshell (ROLESW_PROFILE,
	// ROLESW_DEPTH); Depth is 0 outside one.
	Profile string
	Depth   int
}

// Usage is how often and how recently a profile was assumed (frecency).
type Usage struct {
	Count int       `json:"count"`
	Last  time.Time `json:"last"`
}

// ExitStatus is the error a child process returns when it exits non-zero.
// It is a normal outcome, not a failure of rolesw.
type ExitStatus struct{ Code int }

func (e *ExitStatus) Error() string { return fmt.Sprintf("exit status %d", e.Code) }
