package localsts

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// authorization is a parsed "AWS4-HMAC-SHA256 Credential=..., SignedHeaders=...,
// Signature=..." header.
type authorization struct {
	accessKeyID   string
	date          string // YYYYMMDD of the credential scope
	region        string
	service       string
	terminal      string
	signedHeaders []string
	signature     string
}

const (
	sigAlgorithm  = "AWS4-HMAC-SHA256"
	amzDateLayout = "20060102T150405Z"
	// maxSkew is how far X-Amz-Date may be from the server clock, as on AWS.
	maxSkew = 5 * time.Minute
)

var errNoAuth = errors.New("no Authorization header")

func parseAuthorization(h string) (authorization, error) {
	var a authorization
	if h == "" {
		return a, errNoAuth
	}
	alg, rest, ok := strings.Cut(h, " ")
	if !ok || alg != sigAlgorithm {
		return a, fmt.Errorf("Authorization header requires the %s algorithm", sigAlgorithm)
	}
	for part := range strings.SplitSeq(rest, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return a, fmt.Errorf("Authorization header part %q is not key=value", part)
		}
		switch k {
		case "Credential":
			scope := strings.Split(v, "/")
			if len(scope) != 5 {
				return a, errors.New("Credential must have the form KEY/DATE/REGION/SERVICE/aws4_request")
			}
			a.accessKeyID, a.date, a.region, a.service, a.terminal = scope[0], scope[1], scope[2], scope[3], scope[4]
		case "SignedHeaders":
			a.signedHeaders = strings.Split(v, ";")
		case "Signature":
			a.signature = v
		}
	}
	switch {
	case a.accessKeyID == "":
		return a, errors.New("Authorization header requires 'Credential' parameter")
	case len(a.signedHeaders) == 0 || a.signedHeaders[0] == "":
		return a, errors.New("Authorization header requires 'SignedHeaders' parameter")
	case a.signature == "":
		return a, errors.New("Authorization header requires 'Signature' parameter")
	}
	return a, nil
}

// authenticate checks the request's signature and returns the principal
// that signed it, or the error document AWS would send.
func (s *Server) authenticate(r *http.Request, body []byte) (principal, *apiError) {
	a, err := parseAuthorization(r.Header.Get("Authorization"))
	if errors.Is(err, errNoAuth) {
		return principal{}, &apiError{status: 403, typ: "Sender", code: "MissingAuthenticationToken",
			msg: "Request is missing Authentication Token"}
	}
	if err != nil {
		return principal{}, &apiError{status: 400, typ: "Sender", code: "IncompleteSignature", msg: err.Error()}
	}
	invalidToken := &apiError{status: 403, typ: "Sender", code: "InvalidClientTokenId",
		msg: "The security token included in the request is invalid."}

	var p principal
	var secret string
	var sess *session
	token := r.Header.Get("X-Amz-Security-Token")
	s.mu.Lock()
	if u, ok := s.users[a.accessKeyID]; ok {
		p, secret = userPrincipal(u), u.SecretAccessKey
	} else if ss, ok := s.sessions[a.accessKeyID]; ok {
		sess, p, secret = ss, ss.principal, ss.secret
	}
	s.mu.Unlock()
	switch {
	case secret == "":
		return principal{}, invalidToken
	case sess == nil && token != "":
		// A long-term key with a token is refused by AWS too.
		return principal{}, invalidToken
	case sess != nil && !hmac.Equal([]byte(token), []byte(sess.token)):
		return principal{}, invalidToken
	}

	mismatch := func(msg string) *apiError {
		return &apiError{status: 403, typ: "Sender", code: "SignatureDoesNotMatch", msg: msg}
	}
	if a.service != "sts" {
		return principal{}, mismatch("Credential should be scoped to correct service: 'sts'. ")
	}
	if a.terminal != "aws4_request" {
		return principal{}, mismatch("Credential should be scoped with a valid terminator: 'aws4_request', not '" + a.terminal + "'. ")
	}
	amzDate := r.Header.Get("X-Amz-Date")
	signed, err := time.Parse(amzDateLayout, amzDate)
	if err != nil {
		return principal{}, &apiError{status: 400, typ: "Sender", code: "IncompleteSignature",
			msg: "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header."}
	}
	if a.date != amzDate[:8] {
		return principal{}, mismatch("Credential should be scoped to a valid date: the scope date " +
			a.date + " is not the date of X-Amz-Date " + amzDate + ". ")
	}
	want := signature(secret, a, canonicalRequest(r, a.signedHeaders, body), amzDate)
	if !hmac.Equal([]byte(want), []byte(a.signature)) {
		return principal{}, mismatch("The request signature we calculated does not match the signature you provided. " +
			"Check your AWS Secret Access Key and signing method. Consult the service documentation for details.")
	}
	// The skew check comes after the signature, as on AWS: the date is part
	// of what was signed, so only a genuine request learns it is stale.
	now := s.opts.SigningClock().UTC()
	if signed.Before(now.Add(-maxSkew)) {
		return principal{}, mismatch(fmt.Sprintf("Signature expired: %s is now earlier than %s (%s - 5 min.)",
			amzDate, now.Add(-maxSkew).Format(amzDateLayout), now.Format(amzDateLayout)))
	}
	if signed.After(now.Add(maxSkew)) {
		return principal{}, mismatch(fmt.Sprintf("Signature not yet current: %s is still later than %s (%s + 5 min.)",
			amzDate, now.Add(maxSkew).Format(amzDateLayout), now.Format(amzDateLayout)))
	}
	if sess != nil && !s.opts.Now().Before(sess.expires) {
		return principal{}, &apiError{status: 403, typ: "Sender", code: "ExpiredToken",
			msg: "The security token included in the request is expired"}
	}
	return p, nil
}

// canonicalRequest builds the SigV4 canonical request from the client's
// own SignedHeaders list: the CLI and the SDK sign different header sets,
// so a fixed list would reject one of them.
func canonicalRequest(r *http.Request, signedHeaders []string, body []byte) string {
	var b strings.Builder
	b.WriteString(r.Method)
	b.WriteByte('\n')
	path := r.URL.EscapedPath()
	if path == "" {
		path = "/"
	}
	b.WriteString(path)
	b.WriteByte('\n')
	b.WriteString(canonicalQuery(r.URL.Query()))
	b.WriteByte('\n')
	for _, name := range signedHeaders {
		b.WriteString(name)
		b.WriteByte(':')
		b.WriteString(headerValue(r, name))
		b.WriteByte('\n')
	}
	b.WriteByte('\n')
	b.WriteString(strings.Join(signedHeaders, ";"))
	b.WriteByte('\n')
	sum := sha256.Sum256(body)
	b.WriteString(hex.EncodeToString(sum[:]))
	return b.String()
}

// headerValue is the canonical value of one signed header: values joined
// with ",", trimmed, inner runs of spaces collapsed.
func headerValue(r *http.Request, name string) string {
	var vals []string
	switch name {
	case "host":
		// net/http moves Host out of the header map.
		vals = []string{r.Host}
	case "content-length":
		vals = r.Header.Values("Content-Length")
		if len(vals) == 0 && r.ContentLength >= 0 {
			vals = []string{strconv.FormatInt(r.ContentLength, 10)}
		}
	default:
		vals = r.Header.Values(name)
	}
	out := make([]string, len(vals))
	for i, v := range vals {
		out[i] = strings.Join(strings.Fields(v), " ")
	}
	return strings.Join(out, ",")
}

// canonicalQuery sorts and encodes the query string as SigV4 requires.
func canonicalQuery(q url.Values) string {
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		vs := slices.Clone(q[k])
		sort.Strings(vs)
		for _, v := range vs {
			parts = append(parts, sigEscape(k)+"="+sigEscape(v))
		}
	}
	return strings.Join(parts, "&")
}

// sigEscape percent-encodes everything but RFC 3986 unreserved characters.
func sigEscape(s string) string {
	return strings.NewReplacer("+", "%20", "%7E", "~").Replace(url.QueryEscape(s))
}

func signature(secret string, a authorization, canonical, amzDate string) string {
	scope := a.date + "/" + a.region + "/" + a.service + "/" + a.terminal
	sum := sha256.Sum256([]byte(canonical))
	toSign := sigAlgorithm + "\n" + amzDate + "\n" + scope + "\n" + hex.EncodeToString(sum[:])
	k := hmacSHA256([]byte("AWS4"+secret), a.date)
	k = hmacSHA256(k, a.region)
	k = hmacSHA256(k, a.service)
	k = hmacSHA256(k, a.terminal)
	return hex.EncodeToString(hmacSHA256(k, toSign))
}

func hmacSHA256(key []byte, data string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(data))
	return m.Sum(nil)
}
