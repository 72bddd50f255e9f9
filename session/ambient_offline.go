package session

import "strconv"

// AmbientOffline is what the environment alone says about rolesw's own
// credentials: the rolesw session and depth, the announced expiry, and
// whether keys are exported. It makes no network call and runs no
// credential provider, so a shell prompt can call it on every line.
func (c *Client) AmbientOffline() Ambient {
	var a Ambient
	a.Profile = c.env("ROLESW_PROFILE")
	if d, err := strconv.Atoi(c.env("ROLESW_DEPTH")); err == nil && d > 0 {
		a.Depth = d
	}
	for _, name := range expiryVars {
		if t, ok := parseExpiry(c.env(name), c.opts.Location); ok {
			a.Expires, a.ExpirySource = t, name
			break
		}
	}
	if c.env("AWS_ACCESS_KEY_ID") != "" {
		a.HasCredentials = true
		a.Source = "environment"
		a.LongTerm = c.env("AWS_SESSION_TOKEN") == "" && c.env("AWS_SECURITY_TOKEN") == "" && a.Expires.IsZero()
	}
	return a
}
