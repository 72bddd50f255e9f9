#!/usr/bin/env bash
# Regenerates the odd config/credentials corpus used by config's tests.
# Each case is a directory NN-name holding "config" and, optionally,
# "credentials" (absent = the missing-file case). Files are written with
# exact bytes: printf for BOM, CRLF, lone CR, Latin-1, tabs and NBSP.
# After regenerating, record the AWS CLI's answers ("want" files) with
#   go test ./config -run TestAgainstAWSCLI -update
# The secrets below are fake (AWS documentation examples or made up).
set -euo pipefail
cd "$(dirname "$0")"
rm -rf [0-9][0-9]-*/

c() { mkdir -p "$1"; cat > "$1/config"; }        # config from stdin
k() { mkdir -p "$1"; cat > "$1/credentials"; }   # credentials from stdin
pc() { mkdir -p "$1"; printf "$2" > "$1/config"; }
pk() { mkdir -p "$1"; printf "$2" > "$1/credentials"; }

c 01-basic <<'EOF'
[default]
region = us-east-1
output = json

[profile dev]
role_arn = arn:aws:iam::111111111111:role/Dev
source_profile = default

[profile prod]
role_arn = arn:aws:iam::222222222222:role/Prod
source_profile = default
mfa_serial = arn:aws:iam::000000000000:mfa/alice
EOF
k 01-basic <<'EOF'
[default]
aws_access_key_id = AKIAIOSFODNN7EXAMPLE
aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
EOF

c 02-comments <<'EOF'
# leading comment
; semicolon comment
[profile a]
   # indented comment
region = eu-west-1
    ; indented semicolon comment
[profile b]
# comment between
region = eu-west-2
EOF

c 03-inline-comments <<'EOF'
[profile tail] ; note after header
region = us-west-2 # not a comment
output = json;still value
note = a;b
[profile hash]
region = eu-north-1 ; also kept
EOF

c 04-quotes <<'EOF'
[profile "quoted name"]
region = "us-east-1"
[profile 'single quoted']
region = 'eu-west-1'
[profile "a b c"]
region = x
[profile plain]
role_session_name = "with spaces"
EOF

c 05-continuation <<'EOF'
[profile cont]
description = first line
  second line

  after a blank line
	tab indented
region = ap-south-1


[profile next]
region = eu-central-1
EOF

c 06-nested-block <<'EOF'
[profile s3]
region = us-east-1
s3 =
  max_concurrent_requests = 20
  signature_version = s3v4
[profile after]
region = us-east-2
EOF

c 07-nested-bad <<'EOF'
[profile s3]
s3 =
  max_concurrent_requests
[profile after]
region = us-east-2
EOF

c 08-default-then-profile-default <<'EOF'
[default]
region = us-east-1
output = json
[profile other]
region = eu-west-1
[profile default]
region = eu-west-3
EOF

c 09-profile-default-then-default <<'EOF'
[profile first]
region = us-east-1
[profile default]
region = eu-west-3
output = text
[default]
region = us-east-1
EOF

c 10-dup-section <<'EOF'
[profile dev]
region = us-east-1
[profile prod]
region = us-east-2
[profile dev]
region = us-west-1
EOF

c 11-dup-key <<'EOF'
[profile dev]
region = us-east-1
output = json
region = us-west-1
EOF

c 12-dup-key-case <<'EOF'
[profile dev]
region = us-east-1
Region = us-west-1
EOF

pc 13-bom '\xef\xbb\xbf[default]\nregion = us-east-1\n[profile dev]\nregion = eu-west-1\n'

pc 14-crlf '[default]\r\nregion = us-east-1\r\n\r\n[profile crlf]\r\nrole_arn = arn:aws:iam::111111111111:role/Crlf\r\nsource_profile = default\r\n  continued\r\n'

pc 15-invalid-utf8 '[profile ok]\nregion = us-east-1\n[profile caf\xe9]\nregion = eu-west-1\n'

c 16-credentials-only <<'EOF'
[profile zeta]
region = us-east-1
[profile alpha]
region = us-east-2
[default]
region = us-west-2
EOF
k 16-credentials-only <<'EOF'
[alpha]
aws_access_key_id = AKIAALPHAEXAMPLE0001
aws_secret_access_key = alpha-fake-secret
[mid]
aws_access_key_id = AKIAMIDEXAMPLE000001
aws_secret_access_key = mid-fake-secret
[default]
aws_access_key_id = AKIADEFAULTEXAMPLE01
aws_secret_access_key = default-fake-secret
[last]
aws_access_key_id = AKIALASTEXAMPLE00001
aws_secret_access_key = last-fake-secret
EOF

c 17-DEFAULT-section <<'EOF'
[DEFAULT]
region = eu-west-1
output = json
[default]
cli_follow_urlparam = false
[profile dev]
role_arn = arn:aws:iam::111111111111:role/Dev
source_profile = default
[profile other]
region = ap-northeast-1
[plugins]
EOF
k 17-DEFAULT-section <<'EOF'
[DEFAULT]
aws_session_token = inherited-fake-token
[default]
aws_access_key_id = AKIADEFAULTEXAMPLE01
aws_secret_access_key = default-fake-secret
[credonly]
aws_access_key_id = AKIACREDONLYEXAMPLE1
aws_secret_access_key = credonly-fake-secret
EOF

c 18-dotted-names <<'EOF'
[profile dev]
region = us-east-1
[profile dev.team]
role_arn = arn:aws:iam::111111111111:role/Team
[profile a.b.c]
region = eu-west-1
[profile team/ops@corp:admin+1=2,3]
region = eu-west-2
EOF

c 19-unicode-names <<'EOF'
[profile ünïcødé]
region = eu-west-1
[profile 日本]
region = ap-northeast-1
[profile "ελληνικά ok"]
region = eu-south-1
EOF

c 20-backslash-names <<'EOF'
[profile back\slash]
region = us-east-1
[profile "dq\"inner"]
region = us-east-2
[profile "dq\x"]
region = us-west-1
[profile 'sq\x']
region = us-west-2
[profile esc\ aped]
region = eu-west-1
EOF

pc 21-two-words '[profile two words]\nregion = us-east-1\n[profile tab\tsep]\nregion = us-east-2\n[profile]\nregion = us-west-1\n[profiletight]\nregion = us-west-2\n[profile "unbalanced]\nregion = eu-west-1\n[profile trailing\\]\nregion = eu-west-2\n[profile kept]\nregion = eu-west-3\n'

c 22-case-profile <<'EOF'
[Profile upper]
region = us-east-1
[PROFILE shout]
region = us-east-2
[profiles plural]
region = us-west-1
[Default]
region = us-west-2
[profile Dev]
region = eu-west-1
[profile dev]
region = eu-west-2
[profile DEV]
region = eu-west-3
EOF

c 23-spaced-default <<'EOF'
[ default ]
region = us-east-1
[profile   extra-spaces   ]
region = us-east-2
[default ]
region = us-west-1
EOF

c 24-profile-in-credentials <<'EOF'
[profile x]
region = us-east-1
EOF
k 24-profile-in-credentials <<'EOF'
[profile x]
aws_access_key_id = AKIAPROFILEXEXAMPLE1
aws_secret_access_key = px-fake-secret
[sso-session y]
aws_access_key_id = AKIASSOYEXAMPLE00001
aws_secret_access_key = sy-fake-secret
[Default]
aws_access_key_id = AKIADEFAULTCAPEXAMPL
aws_secret_access_key = dc-fake-secret
[profile default]
aws_access_key_id = AKIAPROFDEFEXAMPLE01
aws_secret_access_key = pd-fake-secret
[x]
aws_access_key_id = AKIAXEXAMPLE00000001
aws_secret_access_key = x-fake-secret
EOF

c 25-sso-session <<'EOF'
[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = us-east-1
sso_registration_scopes = sso:account:access
[profile sso-dev]
sso_session = corp
sso_account_id = 111111111111
sso_role_name = Developer
region = eu-west-1
[sso-session "quoted corp"]
sso_start_url = https://quoted.awsapps.com/start
sso_region = eu-west-1
[sso-sessionfoo bar]
sso_region = eu-west-2
[profile sso-legacy]
sso_start_url = https://corp.awsapps.com/start
sso_region = us-east-1
sso_account_id = 222222222222
sso_role_name = ReadOnly
EOF

c 26-services <<'EOF'
[services local-sts]
sts =
  endpoint_url = http://127.0.0.1:4566
[profile uses-services]
services = local-sts
region = us-east-1
[servicesfoo bar]
sts =
  endpoint_url = http://127.0.0.1:4567
[profile after]
region = us-east-2
EOF

c 27-cycles-and-conflicts <<'EOF'
[profile a]
role_arn = arn:aws:iam::111111111111:role/A
source_profile = b
[profile b]
role_arn = arn:aws:iam::111111111111:role/B
source_profile = a
[profile self]
role_arn = arn:aws:iam::111111111111:role/Self
source_profile = self
[profile both]
role_arn = arn:aws:iam::111111111111:role/Both
source_profile = a
credential_source = Environment
[profile dangling]
role_arn = arn:aws:iam::111111111111:role/Dangling
source_profile = nowhere
[profile badsource]
role_arn = arn:aws:iam::111111111111:role/Bad
credential_source = environment
[profile nosource]
role_arn = arn:aws:iam::111111111111:role/None
EOF

c 28-key-before-section <<'EOF'
region = us-east-1
[profile dev]
region = eu-west-1
EOF

pc 29-empty-files ''
pk 29-empty-files ''

c 30-missing-credentials <<'EOF'
[profile only-config]
region = us-east-1
[default]
region = us-east-2
EOF

c 31-no-delimiter <<'EOF'
[profile dev]
region = us-east-1
just_a_word
[profile prod]
region = us-east-2
EOF

pc 32-indented-header-swallowed '[profile a]\nregion = us-east-1\n  [profile swallowed]\n[profile b]\n  [profile indented-after-header]\nregion = eu-west-1\n'

c 33-continuation-kv <<'EOF'
[profile cont]
aws_access_key_id = AKIDDEV
  region = eu-west-1
output = json
EOF

c 34-empty-profile-name <<'EOF'
[profile ""]
region = us-east-1
[profile '']
region = us-east-2
[profile after-empty]
region = us-west-1
EOF

c 35-same-name-different-quoting <<'EOF'
[profile a]
region = us-east-1
output = json
[profile b]
region = us-east-2
[profile "a"]
region = eu-west-1
EOF

c 36-credentials-refused <<'EOF'
[profile fine]
region = us-east-1
EOF
k 36-credentials-refused <<'EOF'
[fine]
aws_access_key_id = AKIAFINEEXAMPLE00001
[fine]
aws_secret_access_key = fine-fake-secret
EOF

pc 37-lone-cr '[profile mac]\rregion = us-east-1\r[profile classic]\rregion = us-east-2\r  continued\r'

c 38-empty-key <<'EOF'
[profile dev]
= value
EOF

c 39-DEFAULT-dup-key-across <<'EOF'
[DEFAULT]
region = us-east-1
[profile dev]
output = json
[DEFAULT]
region = us-west-2
EOF

c 40-DEFAULT-twice <<'EOF'
[DEFAULT]
region = us-east-1
[profile dev]
output = json
[DEFAULT]
output = text
[profile prod]
EOF

pk 41-bom-credentials '\xef\xbb\xbf[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\n'
c 41-bom-credentials <<'EOF'
[profile fine]
region = us-east-1
EOF

pc 42-blank-and-comments-only '\n   \n# only a comment\n\t\n; another\n'

c 43-header-brackets <<'EOF'
[profile a]b]
region = us-east-1
[profile c] trailing ] tail
region = us-east-2
[profile [nested]]
region = us-west-1
EOF

c 44-hash-names <<'EOF'
[profile #ops]
region = us-east-1
[profile a#b]
region = us-east-2
[profile ;semi]
region = us-west-1
[profile x;y]
region = us-west-2
EOF

pc 45-indented-keys '[profile deep]\n  region = us-east-1\n    continued\n  output = json\n[profile flat]\nregion = eu-west-1\n'

pc 46-unicode-whitespace '[profile nbsp]\nregion\xc2\xa0= us-east-1\n\xc2\xa0\xc2\xa0continued by nbsp\noutput = json\xe3\x80\x80\n[profile "nb\xc2\xa0sp"]\nregion = eu-west-1\n[profile em\xe2\x80\x83space]\nregion = eu-west-2\n'

c 47-credentials-override <<'EOF'
[profile both]
role_arn = arn:aws:iam::111111111111:role/FromConfig
region = us-east-1
source_profile = base
[profile base]
region = eu-west-1
EOF
k 47-credentials-override <<'EOF'
[both]
role_arn = arn:aws:iam::222222222222:role/FromCredentials
[base]
aws_access_key_id = AKIABASEEXAMPLE00001
aws_secret_access_key = base-fake-secret
region = ap-southeast-2
EOF

c 48-DEFAULT-nested-bad-inherited <<'EOF'
[DEFAULT]
s3 =
  not_a_pair
[profile overrides]
s3 =
  addressing_style = path
[profile inherits]
region = us-east-1
EOF

c 49-DEFAULT-nested-bad-overridden <<'EOF'
[DEFAULT]
s3 =
  not_a_pair
[profile overrides]
s3 =
  addressing_style = path
[default]
s3 = plain
EOF

c 50-delimiters <<'EOF'
[profile delims]
region: us-east-1
k = a = b
colon: a = b
my key = v
empty_value =
CLI_Pager = less
   spaced   =   value with spaces   
EOF

c 51-empty-value-blank-lines <<'EOF'
[profile e]
empty =



[profile f]
region = us-east-1
EOF

pc 52-empty-header '[profile ok]\nregion = us-east-1\n[]\n'

c 53-nested-colon <<'EOF'
[profile colon]
s3 =
  addressing_style: path
EOF

c 54-DEFAULT-no-sections <<'EOF'
[DEFAULT]
s3 =
  not_a_pair
EOF
