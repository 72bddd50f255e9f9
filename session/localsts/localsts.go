// Package localsts is a loopback STS: a real HTTP server on 127.0.0.1 that
// speaks the subset of the STS Query API rolesw uses (AssumeRole,
// GetCallerIdentity, GetSessionToken) with the XML shapes, error documents
// and SigV4 checks of the real service, so tests and `rolesw demo` can drive
// the real aws-sdk-go-v2 client and the real AWS CLI against it.
//
// It knows IAM users (long-term keys) and roles (maximum duration, external
// id, MFA, trust). Every credential it issues is remembered with its caller,
// so a later request signed with it is a role session and role chaining
// rules apply. Faults and latency can be injected, and every request is
// recorded without its secrets.
//
// Rule order in AssumeRole (documented because AWS does not publish it):
// parameter validation (session name, duration minimum, source identity,
// MFA code format: all ValidationError, aggregated as AWS does), then the
// role and its trust, the external id, a change of the chain's source
// identity, MFA (all AccessDenied), then the 1-hour chaining limit, then the
// role's MaxSessionDuration (ValidationError).
// The chaining limit comes before the role maximum because it is the tighter
// and more specific rule: a chained caller asking for 2h of a 4h role learns
// the real reason, and rolesw's "learn the role maximum" loop, which reacts
// only to the MaxSessionDuration text, is not sent down the wrong path.
package localsts

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"time"
)

// Options configure a Server.
type Options struct {
	// Now is the clock of credential lifetimes: issue times, expirations and
	// the expired-token check. nil means time.Now.
	Now func() time.Time
	// Account is the default account of users added without one, for
	// example "111111111111"; empty means DefaultAccount.
	Account string
	// SigningClock is the clock X-Amz-Date is checked against (5 minutes
	// either way) and the one sent back in the Date header. nil means
	// time.Now. It is separate from Now because clients sign with the real
	// wall clock: a fake Now must not make every signature "expired".
	SigningClock func() time.Time
	// SingleUseMFA makes each MFA code good for one request, as real
	// devices' codes are: once a request has presented the valid code,
	// whatever its outcome after the MFA check (a duration above the
	// role's maximum, say), the same code is refused with AWS's
	// "invalid MFA one time pass code" until SetMFACode sets another.
	// Off, a code stays valid until replaced (the demo shows one code).
	SingleUseMFA bool
}

// DefaultAccount is the account of users when neither User.Account nor
// Options.Account says one (the account of AWS's documentation examples).
const DefaultAccount = "123456789012"

// User is an IAM user with a long-term access key.
// Its ARN is arn:aws:iam::ACCOUNT:user/NAME.
type User struct {
	Name, Account, AccessKeyID, SecretAccessKey string
}

// Role is an IAM role that AssumeRole can be called on.
type Role struct {
	// ARN is arn:aws:iam::ACCOUNT:role/NAME; a path (role/team/NAME) is allowed.
	ARN string
	// MaxSessionDuration is the role's maximum; 0 means 1h, the AWS default.
	MaxSessionDuration time.Duration
	// ExternalID, when non-empty, must be sent as ExternalId.
	ExternalID string
	// MFASerial, when non-empty, must be sent as SerialNumber with a valid
	// TokenCode (see SetMFACode).
	MFASerial string
	// Trust says whether callerARN may assume the role; nil lets anyone.
	Trust func(callerARN string) bool
}

// Request is one request the server saw, parsed. It never holds a secret:
// the Authorization signature, the session token and the secret key are not
// kept, and a TokenCode parameter is recorded as "******".
type Request struct {
	Action string
	Params url.Values
	// AccessKeyID is the key of the Credential scope ("" when unsigned).
	AccessKeyID string
	// SessionToken reports whether X-Amz-Security-Token was sent.
	SessionToken bool
	// Region is the region of the Credential scope.
	Region string
	// SignedHeaders is the client's SignedHeaders list.
	SignedHeaders []string
	// Err is the error Code returned, "" on success, or one of the Outcome
	// values for answers that carry no code.
	Err string
}

// Outcomes recorded in Request.Err for answers without an error code.
const (
	OutcomeClosed     = "(connection closed)"
	OutcomeMalformed  = "(malformed response)"
	OutcomeClientGone = "(client gone)"
)

// FaultKind says how an injected fault fails a request.
type FaultKind int

// The fault kinds.
const (
	// FaultHTTP500 answers 500 InternalFailure.
	FaultHTTP500 FaultKind = iota
	// FaultThrottle answers 400 Throttling "Rate exceeded".
	FaultThrottle
	// FaultSlow sleeps Delay then answers normally, aborting early if the
	// client goes away or the server closes.
	FaultSlow
	// FaultClose hijacks the connection and closes it without an answer.
	FaultClose
	// FaultMalformed answers 200 with truncated XML.
	FaultMalformed
)

// String names the kind, for test output.
func (k FaultKind) String() string {
	switch k {
	case FaultHTTP500:
		return "FaultHTTP500"
	case FaultThrottle:
		return "FaultThrottle"
	case FaultSlow:
		return "FaultSlow"
	case FaultClose:
		return "FaultClose"
	case FaultMalformed:
		return "FaultMalformed"
	}
	return fmt.Sprintf("FaultKind(%d)", int(k))
}

// Fault makes the next Count requests (of Action, or of any action when
// Action is empty) fail as Kind says. Count <= 0 means 1.
type Fault struct {
	Action string
	Kind   FaultKind
	Count  int
	Delay  time.Duration
}

// Server is a running loopback STS. Its methods are safe for concurrent use.
type Server struct {
	opts     Options
	listener net.Listener
	srv      *http.Server
	url      string

	// done is closed by Close so that waits (latency, slow faults) end.
	done      chan struct{}
	closeOnce sync.Once
	serveErr  chan error
	handlers  sync.WaitGroup
	conns     sync.WaitGroup

	mu       sync.Mutex
	users    map[string]User     // by access key id
	roles    map[string]Role     // by ARN
	sessions map[string]*session // by access key id
	mfa      map[string]string   // serial -> valid code
	mfaUsed  map[string]bool     // serial -> its code was presented (SingleUseMFA)
	faults   []Fault
	latency  time.Duration
	requests []*Request
}

// Start listens on 127.0.0.1 (an ephemeral port, never another address) and
// serves until Close.
func Start(opts Options) (*Server, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("localsts: listen on 127.0.0.1: %w", err)
	}
	s := New(opts)
	s.listener = ln
	s.url = "http://" + ln.Addr().String()
	s.srv = &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 30 * time.Second,
		// net/http's own complaints (a client hanging up) are noise in
		// test output; nothing of ours is logged, so nothing secret can be.
		ErrorLog: log.New(io.Discard, "", 0),
		ConnState: func(_ net.Conn, st http.ConnState) {
			// Counted so Close can wait until every connection goroutine
			// has let go, leaving nothing running behind it.
			switch st {
			case http.StateNew:
				s.conns.Add(1)
			case http.StateClosed, http.StateHijacked:
				s.conns.Done()
			}
		},
	}
	s.serveErr = make(chan error, 1)
	go func() { s.serveErr <- s.srv.Serve(ln) }()
	return s, nil
}

// New returns a Server that is not listening, for use as an http.Handler
// (for example under httptest). URL and Env are empty and Close only stops
// pending waits. Start is what tests and the demo normally want.
func New(opts Options) *Server {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.SigningClock == nil {
		opts.SigningClock = time.Now
	}
	if opts.Account == "" {
		opts.Account = DefaultAccount
	}
	return &Server{
		opts:     opts,
		done:     make(chan struct{}),
		users:    map[string]User{},
		roles:    map[string]Role{},
		sessions: map[string]*session{},
		mfa:      map[string]string{},
		mfaUsed:  map[string]bool{},
	}
}

// URL is the base URL of the server, "http://127.0.0.1:PORT".
func (s *Server) URL() string { return s.url }

// Env returns the environment that points the SDK and the AWS CLI at the
// server: AWS_ENDPOINT_URL_STS=<url>. It holds nothing secret.
func (s *Server) Env() []string {
	return []string{"AWS_ENDPOINT_URL_STS=" + s.url}
}

// Close stops the server: pending waits end, the listener and every
// connection are closed, and Close returns once every handler and
// connection goroutine has finished. It may be called more than once.
func (s *Server) Close() error {
	var err error
	s.closeOnce.Do(func() {
		close(s.done)
		if s.srv != nil {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			if e := s.srv.Shutdown(ctx); e != nil {
				// A handler that did not finish in time: cut it off.
				err = errors.Join(e, s.srv.Close())
			}
			if e := <-s.serveErr; e != nil && !errors.Is(e, http.ErrServerClosed) {
				err = errors.Join(err, e)
			}
			s.conns.Wait()
		}
		s.handlers.Wait()
	})
	return err
}

// AddUser adds (or replaces) an IAM user. An empty Account takes
// Options.Account.
func (s *Server) AddUser(u User) {
	if u.Account == "" {
		u.Account = s.opts.Account
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.users[u.AccessKeyID] = u
}

// AddRole adds (or replaces) a role, keyed by its ARN.
func (s *Server) AddRole(r Role) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.roles[r.ARN] = r
}

// SetMFACode sets the valid 6-digit code for an MFA serial: the device's
// next code, usable once when Options.SingleUseMFA is set.
func (s *Server) SetMFACode(serial, code string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mfa[serial] = code
	delete(s.mfaUsed, serial)
}

// Inject queues a fault. Faults are consumed in the order they were
// injected, each by the requests it matches.
func (s *Server) Inject(f Fault) {
	if f.Count <= 0 {
		f.Count = 1
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, f)
}

// SetLatency makes every answer wait d first (0 turns it off). The wait
// ends early when the client goes away or the server closes.
func (s *Server) SetLatency(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.latency = d
}

// Requests returns a copy of every request seen since Start or Reset, in
// the order they arrived. Err is filled in once the answer is written.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Request, len(s.requests))
	for i, r := range s.requests {
		c := *r
		c.Params = cloneValues(r.Params)
		c.SignedHeaders = slices.Clone(r.SignedHeaders)
		out[i] = c
	}
	return out
}

// Count returns how many recorded requests had the given Action.
func (s *Server) Count(action string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, r := range s.requests {
		if r.Action == action {
			n++
		}
	}
	return n
}

// Reset forgets the recorded requests (users, roles, sessions and faults
// stay).
func (s *Server) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = nil
}

// Credentials reports the expiry of credentials the server issued, and
// whether accessKeyID is such a credential.
func (s *Server) Credentials(accessKeyID string) (expires time.Time, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sess, ok := s.sessions[accessKeyID]
	if !ok {
		return time.Time{}, false
	}
	return sess.expires, true
}

// IssueExpired issues role-session credentials for roleARN that expired a
// minute ago by the server's clock, so tests can reach the ExpiredToken
// answer. The role need not have been added.
func (s *Server) IssueExpired(roleARN string) (accessKeyID, secret, token string) {
	now := s.opts.Now()
	return s.Issue(roleARN, "expired-session", now.Add(-time.Hour), now.Add(-time.Minute))
}

// Issue issues role-session credentials for roleARN and sessionName, valid
// from issued to expires by the server's clock, as if AssumeRole had been
// called by a user. The role need not have been added.
func (s *Server) Issue(roleARN, sessionName string, issued, expires time.Time) (accessKeyID, secret, token string) {
	p := rolePrincipal(roleARN, sessionName)
	sess := newSession(p, issued, expires)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sessions[sess.accessKeyID] = sess
	return sess.accessKeyID, sess.secret, sess.token
}

func cloneValues(v url.Values) url.Values {
	if v == nil {
		return nil
	}
	c := make(url.Values, len(v))
	for k, vs := range v {
		c[k] = slices.Clone(vs)
	}
	return c
}
