// Package roles turns a profile into a Plan: where the base credentials come
// from, the AssumeRole hops (innermost first) with each hop's parameters, and
// the bounds on the session duration with the reason for each bound.
//
// The package is pure: no network, no clock, no environment; everything it
// needs arrives as arguments.
package roles

import "time"

// SourceKind says where the innermost (base) credentials come from.
type SourceKind int

// The base credential sources, as the AWS CLI resolves them.
const (
	SourceNone                SourceKind = iota // profile has nothing usable
	SourceStatic                                // aws_access_key_id/aws_secret_access_key in Profile
	SourceProcess                               // credential_process of Profile
	SourceSSO                                   // sso_session or legacy sso_* keys of Profile
	SourceWebIdentity                           // web_identity_token_file of Profile
	SourceEnvironment                           // credential_source = Environment
	SourceEc2InstanceMetadata                   // credential_source = Ec2InstanceMetadata
	SourceEcsContainer                          // credential_source = EcsContainer
)

// Source is the base of a chain.
type Source struct {
	Kind SourceKind
	// Profile is the profile whose keys provide the base credentials (for
	// static keys, credential_process, SSO, web identity), or the profile
	// that names the credential_source.
	Profile string
	// Static keys, command or SSO settings copied from that profile, so the
	// session layer never re-reads the files with a different parser.
	AccessKeyID, SecretAccessKey, SessionToken string
	Process                                    string
	SSO                                        SSO
	WebIdentityTokenFile, WebIdentityRoleARN   string
	// RoleSession is true when the base credentials are themselves a role
	// session (SSO, IMDS, ECS, or Environment with a session token), so an
	// AssumeRole made with them is role chaining.
	RoleSession bool
}

// SSO holds the settings of an SSO profile, the [sso-session] ones merged in.
type SSO struct {
	Session, StartURL, Region, AccountID, RoleName string
}

// Hop is one sts:AssumeRole call.
type Hop struct {
	// Profile is the profile that names the role.
	Profile         string
	RoleARN         string
	ExternalID      string
	RoleSessionName string // "" when the profile has none
	MFASerial       string
	// DurationSeconds is the profile's duration_seconds; 0 when unset or
	// not an integer (then no DurationSeconds is sent, as the CLI does).
	DurationSeconds int
	SourceIdentity  string
	// Chained is true when the caller of this hop is a role session, so STS
	// caps it at one hour.
	Chained bool
}

// BoundKind names what set a duration bound.
type BoundKind int

// The duration bounds.
const (
	BoundFloor    BoundKind = iota // STS minimum, 900 s
	BoundCeiling                   // STS maximum, 43200 s
	BoundRoleMax                   // the role's MaxSessionDuration (configured or learned)
	BoundChaining                  // 3600 s for role chaining
)

// Bound is one limit on the session duration and why it applies.
type Bound struct {
	Kind    BoundKind
	Seconds int
	// Reason is a sentence a user reads: "role chaining (dev -> DevAdmin ->
	// Prod) is capped at 1h by STS", "rolesw_max_session_duration in
	// profile prod", "learned from STS".
	Reason string
}

// Bounds are the effective limits: Min is the floor, Max the smallest upper
// bound; All lists every bound that applies, for the detail pane.
type Bounds struct {
	Min, Max Bound
	All      []Bound
}

// Plan is everything needed to assume the role of one profile.
type Plan struct {
	Profile string
	// Region is the selected profile's region ("" when it has none).
	Region string
	Source Source
	// Hops in call order, innermost first. Empty for a profile that is its
	// own base (static keys, SSO, process): then the base credentials are the
	// result.
	Hops   []Hop
	Bounds Bounds
	// Default is the duration the switcher preselects: the last hop's
	// duration_seconds when valid, else 1h, clipped to Bounds.
	Default time.Duration
	// Chain is the human chain, outermost last:
	// "dev (keys) -> DevAdmin @111111111111 -> ProductionAccessRole @123456789012".
	Chain string
	// Warnings are non-fatal notes (duration_seconds not an integer, ...).
	Warnings []string
}

// Last returns the last hop, or nil for a plan without hops.
func (p *Plan) Last() *Hop {
	if len(p.Hops) == 0 {
		return nil
	}
	return &p.Hops[len(p.Hops)-1]
}
