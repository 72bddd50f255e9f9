package localsts

import (
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// principal is who signed a request.
type principal struct {
	arn, userID, account string
	// roleSession is true for AssumeRole credentials: a call signed with
	// them is role chaining.
	roleSession bool
	// session is true for any issued (temporary) credential.
	session bool
	// sourceIdentity persists through chained sessions.
	sourceIdentity string
	// mfa is true for GetSessionToken credentials obtained with an MFA
	// code: like aws:MultiFactorAuthPresent, it satisfies a role's MFA
	// requirement without sending SerialNumber again (what aws-vault
	// relies on). AssumeRole sessions do not carry it to the next hop.
	mfa bool
}

// session is a credential the server issued.
type session struct {
	accessKeyID, secret, token string
	principal                  principal
	issued, expires            time.Time
}

func newSession(p principal, issued, expires time.Time) *session {
	p.session = true
	return &session{
		accessKeyID: newAccessKey(),
		secret:      newSecret(),
		token:       newToken(),
		principal:   p,
		issued:      issued,
		expires:     expires,
	}
}

func userPrincipal(u User) principal {
	arn := "arn:aws:iam::" + u.Account + ":user/" + u.Name
	return principal{arn: arn, userID: stableID("AIDA", arn), account: u.Account}
}

// rolePrincipal is the assumed-role identity of a session of roleARN. The
// assumed-role ARN drops the role's path, as AWS's does.
func rolePrincipal(roleARN, sessionName string) principal {
	account, name := splitRoleARN(roleARN)
	return principal{
		arn:         "arn:aws:sts::" + account + ":assumed-role/" + name + "/" + sessionName,
		userID:      stableID("AROA", roleARN) + ":" + sessionName,
		account:     account,
		roleSession: true,
	}
}

// splitRoleARN returns the account and the role name (without path) of
// arn:aws:iam::ACCOUNT:role/PATH/NAME. A malformed ARN yields what can be
// read of it rather than a panic.
func splitRoleARN(arn string) (account, name string) {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) == 6 {
		account = parts[4]
		name = parts[5]
	} else {
		name = arn
	}
	if i := strings.LastIndex(name, "/"); i >= 0 {
		name = name[i+1:]
	}
	return account, name
}

var (
	sessionNamePattern = regexp.MustCompile(`^[\w+=,.@-]*$`)
	externalIDPattern  = regexp.MustCompile(`^[\w+=,.@:/-]*$`)
	serialPattern      = regexp.MustCompile(`^[\w+=/:,.@-]*$`)
	tokenCodePattern   = regexp.MustCompile(`^\d*$`)
)

// validation collects the "N validation errors detected" of one request,
// in AWS's wording.
type validation []string

func (v *validation) add(value, field, constraint string) {
	*v = append(*v, fmt.Sprintf("Value '%s' at '%s' failed to satisfy constraint: %s", value, field, constraint))
}

// str checks a string member against its model constraints. secret hides
// the value in the message (MFA codes).
func (v *validation) str(params url.Values, name string, required bool, minLen, maxLen int, pattern *regexp.Regexp, patternText string, secret bool) string {
	field := strings.ToLower(name[:1]) + name[1:]
	vals, present := params[name]
	if !present {
		if required {
			*v = append(*v, fmt.Sprintf("Value null at '%s' failed to satisfy constraint: Member must not be null", field))
		}
		return ""
	}
	val := vals[0]
	shown := val
	if secret {
		shown = "******"
	}
	if len(val) < minLen {
		v.add(shown, field, fmt.Sprintf("Member must have length greater than or equal to %d", minLen))
	}
	if len(val) > maxLen {
		v.add(shown, field, fmt.Sprintf("Member must have length less than or equal to %d", maxLen))
	}
	if pattern != nil && !pattern.MatchString(val) {
		v.add(shown, field, "Member must satisfy regular expression pattern: "+patternText)
	}
	return val
}

// duration reads DurationSeconds: def when absent, the lower and upper
// model bounds checked (upper <= 0 leaves the upper bound to the caller).
func (v *validation) duration(params url.Values, def, lower, upper int) int {
	if _, ok := params["DurationSeconds"]; !ok {
		return def
	}
	raw := params.Get("DurationSeconds")
	n, err := strconv.Atoi(raw)
	if err != nil {
		v.add(raw, "durationSeconds", "Member must be an integer")
		return def
	}
	if n < lower {
		v.add(raw, "durationSeconds", fmt.Sprintf("Member must have value greater than or equal to %d", lower))
	}
	if upper > 0 && n > upper {
		v.add(raw, "durationSeconds", fmt.Sprintf("Member must have value less than or equal to %d", upper))
	}
	return n
}

func (v validation) err() *apiError {
	if len(v) == 0 {
		return nil
	}
	noun := "error"
	if len(v) > 1 {
		noun = "errors"
	}
	return validationError(fmt.Sprintf("%d validation %s detected: %s", len(v), noun, strings.Join(v, "; ")))
}

func validationError(msg string) *apiError {
	return &apiError{status: 400, typ: "Sender", code: "ValidationError", msg: msg}
}

func accessDenied(msg string) *apiError {
	return &apiError{status: 403, typ: "Sender", code: "AccessDenied", msg: msg}
}

// The MFA failures, in AWS's words.
const (
	mfaMissing = "MultiFactorAuthentication failed, must provide both MFA serial number and one time pass code."
	mfaInvalid = "MultiFactorAuthentication failed with invalid MFA one time pass code."
	mfaUnknown = "MultiFactorAuthentication failed, unable to validate MFA code."
)

// Duration limits of the model and of AWS.
const (
	defaultRoleDuration = 3600
	maxRoleDuration     = 43200
	chainedMaxDuration  = 3600
	minDuration         = 900
	defaultTokenSeconds = 43200
	maxTokenSeconds     = 129600
)

// checkMFA validates SerialNumber and TokenCode when either is sent. It
// reports whether a valid code was given; with Options.SingleUseMFA that
// use spends the code.
func (s *Server) checkMFA(serial, code string) (bool, *apiError) {
	if serial == "" && code == "" {
		return false, nil
	}
	if serial == "" || code == "" {
		return false, accessDenied(mfaMissing)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	want, known := s.mfa[serial]
	if !known {
		return false, accessDenied(mfaUnknown)
	}
	if code != want || s.mfaUsed[serial] {
		return false, accessDenied(mfaInvalid)
	}
	if s.opts.SingleUseMFA {
		s.mfaUsed[serial] = true
	}
	return true, nil
}

func (s *Server) assumeRole(caller principal, params url.Values) (*assumeRoleResponse, *apiError) {
	var v validation
	roleARN := v.str(params, "RoleArn", true, 20, 2048, nil, "", false)
	name := v.str(params, "RoleSessionName", true, 2, 64, sessionNamePattern, `[\w+=,.@-]*`, false)
	seconds := v.duration(params, defaultRoleDuration, minDuration, 0)
	externalID := v.str(params, "ExternalId", false, 2, 1224, externalIDPattern, `[\w+=,.@:\/-]*`, false)
	serial := v.str(params, "SerialNumber", false, 9, 256, serialPattern, `[\w+=/:,.@-]*`, false)
	code := v.str(params, "TokenCode", false, 6, 6, tokenCodePattern, `[\d]*`, true)
	sourceID := v.str(params, "SourceIdentity", false, 2, 64, sessionNamePattern, `[\w+=,.@-]*`, false)
	// The reserved "aws:" prefix of SourceIdentity needs no rule of its
	// own: the pattern has no ':' so the pattern error reports it.
	if e := v.err(); e != nil {
		return nil, e
	}

	denied := accessDenied(fmt.Sprintf("User: %s is not authorized to perform: sts:AssumeRole on resource: %s", caller.arn, roleARN))
	s.mu.Lock()
	role, ok := s.roles[roleARN]
	s.mu.Unlock()
	if !ok || (role.Trust != nil && !role.Trust(caller.arn)) {
		return nil, denied
	}
	// AWS gives the plain "not authorized" answer for a wrong external id:
	// it is a condition of the trust policy.
	if role.ExternalID != "" && externalID != role.ExternalID {
		return nil, denied
	}
	if caller.sourceIdentity != "" && sourceID != "" && sourceID != caller.sourceIdentity {
		return nil, accessDenied(fmt.Sprintf("User: %s is not authorized to perform: sts:SetSourceIdentity on resource: %s "+
			"(the source identity %s of the calling session cannot be changed)", caller.arn, roleARN, caller.sourceIdentity))
	}
	if sourceID == "" {
		sourceID = caller.sourceIdentity
	}
	mfaOK, e := s.checkMFA(serial, code)
	if e != nil {
		return nil, e
	}
	if role.MFASerial != "" && !caller.mfa {
		switch {
		case serial == "":
			return nil, accessDenied(mfaMissing)
		case serial != role.MFASerial || !mfaOK:
			return nil, accessDenied(mfaUnknown)
		}
	}

	// Role chaining caps at an hour whatever the role allows: AWS does not
	// let a temporary credential mint a longer-lived one.
	if caller.roleSession && seconds > chainedMaxDuration {
		return nil, validationError("The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.")
	}
	roleMax := role.MaxSessionDuration
	if roleMax <= 0 {
		roleMax = time.Hour
	}
	if seconds > maxRoleDuration || time.Duration(seconds)*time.Second > roleMax {
		return nil, validationError("The requested DurationSeconds exceeds the MaxSessionDuration set for this role.")
	}

	p := rolePrincipal(roleARN, name)
	p.sourceIdentity = sourceID
	now := s.opts.Now()
	sess := newSession(p, now, now.Add(time.Duration(seconds)*time.Second))
	s.mu.Lock()
	s.sessions[sess.accessKeyID] = sess
	s.mu.Unlock()

	out := &assumeRoleResponse{}
	out.Result.SourceIdentity = sourceID
	out.Result.AssumedRoleUser.Arn = p.arn
	out.Result.AssumedRoleUser.AssumedRoleID = p.userID
	out.Result.Credentials = sess.xml()
	return out, nil
}

func (sess *session) xml() credentialsXML {
	return credentialsXML{
		AccessKeyID:     sess.accessKeyID,
		SecretAccessKey: sess.secret,
		SessionToken:    sess.token,
		Expiration:      awsTime(sess.expires),
	}
}

func (s *Server) getCallerIdentity(caller principal) *getCallerIdentityResponse {
	out := &getCallerIdentityResponse{}
	out.Result.Arn = caller.arn
	out.Result.UserID = caller.userID
	out.Result.Account = caller.account
	return out
}

func (s *Server) getSessionToken(caller principal, params url.Values) (*getSessionTokenResponse, *apiError) {
	var v validation
	seconds := v.duration(params, defaultTokenSeconds, minDuration, maxTokenSeconds)
	serial := v.str(params, "SerialNumber", false, 9, 256, serialPattern, `[\w+=/:,.@-]*`, false)
	code := v.str(params, "TokenCode", false, 6, 6, tokenCodePattern, `[\d]*`, true)
	if e := v.err(); e != nil {
		return nil, e
	}
	if caller.session {
		return nil, accessDenied("Cannot call GetSessionToken with session credentials")
	}
	mfaOK, e := s.checkMFA(serial, code)
	if e != nil {
		return nil, e
	}
	p := caller
	p.mfa = mfaOK
	now := s.opts.Now()
	sess := newSession(p, now, now.Add(time.Duration(seconds)*time.Second))
	s.mu.Lock()
	s.sessions[sess.accessKeyID] = sess
	s.mu.Unlock()

	out := &getSessionTokenResponse{}
	out.Result.Credentials = sess.xml()
	return out, nil
}
