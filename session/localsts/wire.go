package localsts

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/xml"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// xmlns is the namespace of every STS answer.
const xmlns = "https://sts.amazonaws.com/doc/2011-06-15/"

// apiError is an ErrorResponse document and its HTTP status.
type apiError struct {
	status    int
	typ, code string
	msg       string
}

type errorResponse struct {
	XMLName xml.Name `xml:"https://sts.amazonaws.com/doc/2011-06-15/ ErrorResponse"`
	Error   struct {
		Type    string `xml:"Type"`
		Code    string `xml:"Code"`
		Message string `xml:"Message"`
	} `xml:"Error"`
	RequestID string `xml:"RequestId"`
}

type responseMetadata struct {
	RequestID string `xml:"RequestId"`
}

type credentialsXML struct {
	AccessKeyID     string `xml:"AccessKeyId"`
	SecretAccessKey string `xml:"SecretAccessKey"`
	SessionToken    string `xml:"SessionToken"`
	Expiration      string `xml:"Expiration"`
}

type assumeRoleResponse struct {
	XMLName xml.Name `xml:"https://sts.amazonaws.com/doc/2011-06-15/ AssumeRoleResponse"`
	Result  struct {
		SourceIdentity  string `xml:"SourceIdentity,omitempty"`
		AssumedRoleUser struct {
			Arn           string `xml:"Arn"`
			AssumedRoleID string `xml:"AssumedRoleId"`
		} `xml:"AssumedRoleUser"`
		Credentials      credentialsXML `xml:"Credentials"`
		PackedPolicySize int            `xml:"PackedPolicySize"`
	} `xml:"AssumeRoleResult"`
	Metadata responseMetadata `xml:"ResponseMetadata"`
}

type getCallerIdentityResponse struct {
	XMLName xml.Name `xml:"https://sts.amazonaws.com/doc/2011-06-15/ GetCallerIdentityResponse"`
	Result  struct {
		Arn     string `xml:"Arn"`
		UserID  string `xml:"UserId"`
		Account string `xml:"Account"`
	} `xml:"GetCallerIdentityResult"`
	Metadata responseMetadata `xml:"ResponseMetadata"`
}

type getSessionTokenResponse struct {
	XMLName xml.Name `xml:"https://sts.amazonaws.com/doc/2011-06-15/ GetSessionTokenResponse"`
	Result  struct {
		Credentials credentialsXML `xml:"Credentials"`
	} `xml:"GetSessionTokenResult"`
	Metadata responseMetadata `xml:"ResponseMetadata"`
}

// setHeaders sets the headers every answer carries and returns the
// request id. Date comes from the signing clock, as AWS's does: the SDK
// corrects its clock skew from it.
func (s *Server) setHeaders(w http.ResponseWriter) string {
	id := requestID()
	h := w.Header()
	h.Set("Content-Type", "text/xml")
	h.Set("x-amzn-RequestId", id)
	h.Set("Date", s.opts.SigningClock().UTC().Format(http.TimeFormat))
	return id
}

// writeXML writes a success document. v is a pointer to one of the
// *Response structs; its request id is filled in here.
func (s *Server) writeXML(w http.ResponseWriter, v any) {
	id := s.setHeaders(w)
	switch r := v.(type) {
	case *assumeRoleResponse:
		r.Metadata.RequestID = id
	case *getCallerIdentityResponse:
		r.Metadata.RequestID = id
	case *getSessionTokenResponse:
		r.Metadata.RequestID = id
	}
	b, err := xml.Marshal(v)
	if err != nil {
		// Our own fixed shapes always marshal; this is a bug, said plainly.
		b = []byte("<ErrorResponse><Error><Code>InternalFailure</Code><Message>localsts: " +
			xmlEscape(err.Error()) + "</Message></Error></ErrorResponse>")
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(http.StatusOK)
	w.Write(b)
}

// writeError writes an ErrorResponse document and returns its code.
func (s *Server) writeError(w http.ResponseWriter, e apiError) string {
	id := s.setHeaders(w)
	var doc errorResponse
	doc.Error.Type, doc.Error.Code, doc.Error.Message = e.typ, e.code, e.msg
	doc.RequestID = id
	b, _ := xml.Marshal(doc)
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(e.status)
	w.Write(b)
	return e.code
}

func xmlEscape(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

// requestID is a random UUID (version 4), the form AWS request ids take.
func requestID() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

const upperAlnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

// randomFrom returns n characters of alphabet chosen by crypto/rand.
func randomFrom(alphabet string, n int) string {
	b := make([]byte, n)
	rand.Read(b)
	for i := range b {
		// 256 is not a multiple of every alphabet size; the slight bias
		// does not matter for test credentials.
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

// stableID derives an IAM-style unique id (prefix + 17 characters) from a
// name, so the same user or role always gets the same id, as on AWS.
func stableID(prefix, name string) string {
	sum := sha256.Sum256([]byte(name))
	b := make([]byte, 17)
	for i := range b {
		b[i] = upperAlnum[int(sum[i])%len(upperAlnum)]
	}
	return prefix + string(b)
}

// newAccessKey, newSecret and newToken make the three parts of a session
// credential in the shapes AWS uses.
func newAccessKey() string { return "ASIA" + randomFrom(upperAlnum, 16) }

func newSecret() string {
	return randomFrom("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", 40)
}

func newToken() string {
	b := make([]byte, 300)
	rand.Read(b)
	return "IQoJb3JpZ2luX2VjE" + base64.StdEncoding.EncodeToString(b)
}

// awsTime formats an expiration as AWS does: RFC 3339, UTC, whole seconds.
func awsTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }
