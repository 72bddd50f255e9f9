package localsts

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"time"
)

// record appends a request; its Err is set by setErr once answered.
func (s *Server) record(r *Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = append(s.requests, r)
}

func (s *Server) setErr(r *Request, code string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r.Err = code
}

// takeFault consumes one use of the first fault matching action.
func (s *Server) takeFault(action string) (Fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range s.faults {
		f := &s.faults[i]
		if f.Action != "" && f.Action != action {
			continue
		}
		got := *f
		f.Count--
		if f.Count <= 0 {
			s.faults = slices.Delete(s.faults, i, i+1)
		}
		return got, true
	}
	return Fault{}, false
}

// wait sleeps d unless the client goes away or the server closes first;
// it reports whether the full wait elapsed.
func (s *Server) wait(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	case <-s.done:
		return false
	}
}

// abandon ends a request whose wait was cut short. The connection is
// closed rather than answered: returning from the handler would send an
// empty 200, which the SDK takes for a success.
func (s *Server) abandon(w http.ResponseWriter, rec *Request) string {
	s.cut(w, rec, OutcomeClientGone)
	return OutcomeClientGone
}

// cut records outcome, then hangs up. The order matters: the client sees
// the closed connection at once and may ask Requests() before this handler
// gets to run again.
func (s *Server) cut(w http.ResponseWriter, rec *Request, outcome string) {
	s.setErr(rec, outcome)
	hangUp(w)
}

// hangUp closes the connection under w without an answer. Outside
// net/http's server (a recorder) it answers 502 instead, the nearest thing.
func hangUp(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		w.WriteHeader(http.StatusBadGateway)
		return
	}
	if conn, _, err := hj.Hijack(); err == nil {
		conn.Close()
	}
}

// maxBody bounds what is read of a request body; STS requests are small.
const maxBody = 1 << 20

// ServeHTTP answers one STS Query API request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.handlers.Add(1)
	defer s.handlers.Done()

	rec := &Request{}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil {
		s.record(rec)
		s.cut(w, rec, OutcomeClientGone)
		return
	}
	var params url.Values
	var perr error
	switch {
	case len(body) > maxBody:
		perr = errors.New("request body larger than 1 MiB")
	case r.Method == http.MethodPost:
		params, perr = url.ParseQuery(string(body))
	default:
		params, perr = url.ParseQuery(r.URL.RawQuery)
	}
	if params == nil {
		params = url.Values{}
	}
	rec.Action = params.Get("Action")
	rec.Params = cloneValues(params)
	if _, ok := rec.Params["TokenCode"]; ok {
		rec.Params["TokenCode"] = []string{"******"}
	}
	rec.SessionToken = r.Header.Get("X-Amz-Security-Token") != ""
	if a, aerr := parseAuthorization(r.Header.Get("Authorization")); aerr == nil {
		rec.AccessKeyID, rec.Region, rec.SignedHeaders = a.accessKeyID, a.region, a.signedHeaders
	}
	s.record(rec)

	code := s.serve(w, r, rec, body, params, perr)
	s.setErr(rec, code)
}

// serve does the work of ServeHTTP and returns what to record in Err.
func (s *Server) serve(w http.ResponseWriter, r *http.Request, rec *Request, body []byte, params url.Values, perr error) string {
	ctx := r.Context()
	action := rec.Action
	s.mu.Lock()
	latency := s.latency
	s.mu.Unlock()
	if !s.wait(ctx, latency) {
		return s.abandon(w, rec)
	}

	if f, ok := s.takeFault(action); ok {
		switch f.Kind {
		case FaultHTTP500:
			return s.writeError(w, apiError{status: 500, typ: "Receiver", code: "InternalFailure",
				msg: "An internal error occurred. Please try again."})
		case FaultThrottle:
			return s.writeError(w, apiError{status: 400, typ: "Sender", code: "Throttling", msg: "Rate exceeded"})
		case FaultSlow:
			if !s.wait(ctx, f.Delay) {
				return s.abandon(w, rec)
			}
		case FaultClose:
			s.cut(w, rec, OutcomeClosed)
			return OutcomeClosed
		case FaultMalformed:
			s.setHeaders(w)
			w.WriteHeader(http.StatusOK)
			fmt.Fprintf(w, `<%sResponse xmlns="%s"><%sResult><Credentials><AccessKeyId>ASIA`, action, xmlns, action)
			return OutcomeMalformed
		}
	}

	if perr != nil {
		return s.writeError(w, apiError{status: 400, typ: "Sender", code: "MalformedQueryString",
			msg: fmt.Sprintf("The request body could not be parsed: %v", perr)})
	}
	if e := checkAction(params); e != nil {
		return s.writeError(w, *e)
	}
	caller, e := s.authenticate(r, body)
	if e != nil {
		return s.writeError(w, *e)
	}
	switch action {
	case "AssumeRole":
		out, e := s.assumeRole(caller, params)
		if e != nil {
			return s.writeError(w, *e)
		}
		s.writeXML(w, out)
	case "GetCallerIdentity":
		s.writeXML(w, s.getCallerIdentity(caller))
	case "GetSessionToken":
		out, e := s.getSessionToken(caller, params)
		if e != nil {
			return s.writeError(w, *e)
		}
		s.writeXML(w, out)
	}
	return ""
}

// knownActions are the operations served, all of version 2011-06-15.
var knownActions = []string{"AssumeRole", "GetCallerIdentity", "GetSessionToken"}

const apiVersion = "2011-06-15"

func checkAction(params url.Values) *apiError {
	action := params.Get("Action")
	if action == "" {
		return &apiError{status: 400, typ: "Sender", code: "MissingAction", msg: "Missing Action"}
	}
	if !slices.Contains(knownActions, action) {
		return &apiError{status: 400, typ: "Sender", code: "InvalidAction",
			msg: fmt.Sprintf("Could not find operation %s for version %s", action, params.Get("Version"))}
	}
	if v := params.Get("Version"); v != apiVersion {
		return &apiError{status: 400, typ: "Sender", code: "InvalidAction",
			msg: fmt.Sprintf("Could not find operation %s for version %s", action, v)}
	}
	return nil
}
