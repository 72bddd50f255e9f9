package roles

import "github.com/rolesw/rolesw/config"

// key is one of the profile keys the planner reads.
type key uint8

// The keys the planner reads, in no particular order.
const (
	keyRegion key = iota
	keyRoleARN
	keyWebIdentityTokenFile
	keyCredentialSource
	keySourceProfile
	keyAccessKeyID
	keySecretAccessKey
	keySessionToken
	keyCredentialProcess
	keySSOStartURL
	keySSORegion
	keySSORoleName
	keySSOAccountID
	keySSOSession
	keyExternalID
	keyRoleSessionName
	keyMFASerial
	keySourceIdentity
	keyDurationSeconds
	keyMaxSessionDuration
	numKeys
)

// keyNames are the keys' names in the files, lowercased as config stores them.
var keyNames = [numKeys]string{
	keyRegion:               "region",
	keyRoleARN:              "role_arn",
	keyWebIdentityTokenFile: "web_identity_token_file",
	keyCredentialSource:     "credential_source",
	keySourceProfile:        "source_profile",
	keyAccessKeyID:          "aws_access_key_id",
	keySecretAccessKey:      "aws_secret_access_key",
	keySessionToken:         "aws_session_token",
	keyCredentialProcess:    "credential_process",
	keySSOStartURL:          "sso_start_url",
	keySSORegion:            "sso_region",
	keySSORoleName:          "sso_role_name",
	keySSOAccountID:         "sso_account_id",
	keySSOSession:           "sso_session",
	keyExternalID:           "external_id",
	keyRoleSessionName:      "role_session_name",
	keyMFASerial:            "mfa_serial",
	keySourceIdentity:       "source_identity",
	keyDurationSeconds:      "duration_seconds",
	keyMaxSessionDuration:   "rolesw_max_session_duration",
}

// keyOf returns the key named name, exactly as spelled in keyNames.
func keyOf(name string) (key, bool) {
	switch name {
	case "region":
		return keyRegion, true
	case "role_arn":
		return keyRoleARN, true
	case "web_identity_token_file":
		return keyWebIdentityTokenFile, true
	case "credential_source":
		return keyCredentialSource, true
	case "source_profile":
		return keySourceProfile, true
	case "aws_access_key_id":
		return keyAccessKeyID, true
	case "aws_secret_access_key":
		return keySecretAccessKey, true
	case "aws_session_token":
		return keySessionToken, true
	case "credential_process":
		return keyCredentialProcess, true
	case "sso_start_url":
		return keySSOStartURL, true
	case "sso_region":
		return keySSORegion, true
	case "sso_role_name":
		return keySSORoleName, true
	case "sso_account_id":
		return keySSOAccountID, true
	case "sso_session":
		return keySSOSession, true
	case "external_id":
		return keyExternalID, true
	case "role_session_name":
		return keyRoleSessionName, true
	case "mfa_serial":
		return keyMFASerial, true
	case "source_identity":
		return keySourceIdentity, true
	case "duration_seconds":
		return keyDurationSeconds, true
	case "rolesw_max_session_duration":
		return keyMaxSessionDuration, true
	}
	return 0, false
}

// keySet is a set of keys, one bit each.
type keySet uint32

func bit(k key) keySet { return 1 << k }

// profile is a config.Profile with the keys the planner reads taken out of
// its map once. Resolve runs for every profile at start-up (20,000 in a big
// organisation), and looking each key up where it is needed meant some 25
// map lookups per plan.
type profile struct {
	*config.Profile
	has keySet
	val [numKeys]string
	// roleName and account are parsed from role_arn by hop, for the chain.
	roleName, account string
}

// read fills f from p.
func (f *profile) read(p *config.Profile) {
	*f = profile{Profile: p}
	// A profile usually holds a handful of keys: one pass over them beats a
	// lookup per wanted key. A profile with many unrelated settings is
	// cheaper the other way round.
	if len(p.Keys) <= 2*int(numKeys) {
		for k, v := range p.Keys {
			if i, ok := keyOf(k); ok {
				f.val[i] = v
				f.has |= bit(i)
			}
		}
		return
	}
	for i, k := range keyNames {
		if v, ok := p.Keys[k]; ok {
			f.val[i] = v
			f.has |= bit(key(i))
		}
	}
}

// get is config.Profile.Get for a key the planner reads.
func (f *profile) get(k key) (string, bool) { return f.val[k], f.has&bit(k) != 0 }

// value is config.Profile.Value for a key the planner reads.
func (f *profile) value(k key) string { return f.val[k] }

// isSet reports whether any key of s is set.
func (f *profile) isSet(s keySet) bool { return f.has&s != 0 }

// isAssumeRole is true for a role_arn without web_identity_token_file,
// which makes the role_arn the web identity's instead.
func (f *profile) isAssumeRole() bool {
	return f.has&(bit(keyRoleARN)|bit(keyWebIdentityTokenFile)) == bit(keyRoleARN)
}

// hasStatic is the CLI's test for static keys: either key present, even
// alone (the missing one is then an error when the keys are read).
func (f *profile) hasStatic() bool {
	return f.isSet(bit(keyAccessKeyID) | bit(keySecretAccessKey))
}
