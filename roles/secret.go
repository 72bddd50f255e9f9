package roles

import "fmt"

// String shows a Source without its secret key or session token, so that a
// Plan printed with %v or %+v (in a log, a test failure) leaks nothing.
func (s Source) String() string {
	return fmt.Sprintf("{Kind:%v Profile:%q AccessKeyID:%q SecretAccessKey:%s SessionToken:%s Process:%q SSO:%+v WebIdentityTokenFile:%q WebIdentityRoleARN:%q RoleSession:%t}",
		s.Kind, s.Profile, s.AccessKeyID, redact(s.SecretAccessKey), redact(s.SessionToken),
		s.Process, s.SSO, s.WebIdentityTokenFile, s.WebIdentityRoleARN, s.RoleSession)
}

// GoString is String for %#v.
func (s Source) GoString() string { return "roles.Source" + s.String() }

func redact(v string) string {
	if v == "" {
		return `""`
	}
	return "<redacted>"
}
