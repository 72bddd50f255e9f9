package config

import (
	"os/user"
	"strings"
)

// ResolvePaths picks the two files the way the AWS CLI v2 does, with rolesw's
// flags on top. For each file: a non-empty flag value wins (with "~"
// expanded, for "--config=~/x" where the shell does not); else the
// environment variable (AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE) when it
// is set, even to "" which means "no file", with $VARS and then "~"
// expanded as botocore does; else home/.aws/config and home/.aws/credentials.
// lookup is os.LookupEnv in production; home stands for $HOME in "~".
func ResolvePaths(flagConfig, flagCredentials string, lookup func(string) (string, bool), home string) Paths {
	pick := func(flag, env, def string) string {
		if flag != "" {
			return expandUser(flag, home)
		}
		if v, ok := lookup(env); ok {
			return expandUser(expandVars(v, lookup), home)
		}
		return expandUser(def, home)
	}
	return Paths{
		Config:      pick(flagConfig, "AWS_CONFIG_FILE", "~/.aws/config"),
		Credentials: pick(flagCredentials, "AWS_SHARED_CREDENTIALS_FILE", "~/.aws/credentials"),
	}
}

// expandVars is Python's os.path.expandvars: $NAME and ${NAME}, NAME made of
// ASCII letters, digits and "_"; unknown variables are left as they are.
func expandVars(s string, lookup func(string) (string, bool)) string {
	if !strings.Contains(s, "$") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		if s[i] != '$' {
			b.WriteByte(s[i])
			i++
			continue
		}
		name, end := "", i+1
		if end < len(s) && s[end] == '{' {
			if j := strings.IndexByte(s[end:], '}'); j >= 0 {
				name, end = s[end+1:end+j], end+j+1
			}
		} else {
			for end < len(s) && isWordByte(s[end]) {
				end++
			}
			name = s[i+1 : end]
		}
		if end == i+1 { // "$" alone, or "${" without "}"
			b.WriteByte('$')
			i++
			continue
		}
		if v, ok := lookup(name); ok && name != "" {
			b.WriteString(v)
		} else {
			b.WriteString(s[i:end])
		}
		i = end
	}
	return b.String()
}

func isWordByte(c byte) bool {
	return c == '_' || ('0' <= c && c <= '9') || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z')
}

// expandUser is Python's os.path.expanduser: "~" and "~/x" use home,
// "~name/x" uses that user's home directory when the user exists.
func expandUser(s, home string) string {
	if !strings.HasPrefix(s, "~") {
		return s
	}
	i := strings.IndexByte(s, '/')
	if i < 0 {
		i = len(s)
	}
	dir := home
	if i > 1 {
		u, err := user.Lookup(s[1:i])
		if err != nil {
			return s
		}
		dir = u.HomeDir
	}
	dir = strings.TrimRight(dir, "/")
	if r := dir + s[i:]; r != "" {
		return r
	}
	return "/"
}
