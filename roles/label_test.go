package roles

import "testing"

func TestSourceLabelAndMFASerial(t *testing.T) {
	tests := []struct {
		name   string
		plan   Plan
		source string
		mfa    string
	}{
		{"static keys, no hops", Plan{Source: Source{Kind: SourceStatic, Profile: "dev"}}, "keys", ""},
		{"sso, no hops", Plan{Source: Source{Kind: SourceSSO, Profile: "sso"}}, "sso", ""},
		{"one hop", Plan{Source: Source{Kind: SourceStatic, Profile: "dev"}, Hops: []Hop{{Profile: "prod"}}}, "dev", ""},
		{"chain names the hop before the last", Plan{Source: Source{Kind: SourceStatic, Profile: "dev"},
			Hops: []Hop{{Profile: "admin"}, {Profile: "prod", MFASerial: "arn:aws:iam::1:mfa/x"}}}, "admin", "arn:aws:iam::1:mfa/x"},
		{"credential_source", Plan{Source: Source{Kind: SourceEc2InstanceMetadata, Profile: "ec2"}, Hops: []Hop{{Profile: "ec2", MFASerial: "S1"}, {MFASerial: "S2"}}}, "Ec2InstanceMetadata", "S1"},
		{"nothing", Plan{}, "-", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.plan.SourceLabel(); got != tt.source {
				t.Errorf("SourceLabel = %q, want %q", got, tt.source)
			}
			if got := tt.plan.MFASerial(); got != tt.mfa {
				t.Errorf("MFASerial = %q, want %q", got, tt.mfa)
			}
		})
	}
}
