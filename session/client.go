package session

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/rolesw/rolesw/config"
)

// globalRegion is the SDK's pseudo-region of the global STS endpoint
// (https://sts.amazonaws.com, signed for us-east-1), which the AWS CLI
// uses when no region is configured.
const globalRegion = "aws-global"

// Options are the dependencies of a Client.
type Options struct {
	// Lookup reads the environment (os.LookupEnv in production).
	Lookup func(string) (string, bool)
	// Region is --region; it wins over the environment and the profile.
	Region string
	// HTTPClient carries every AWS call; nil uses the SDK's default.
	HTTPClient *http.Client
	// Now is the clock; nil is time.Now.
	Now func() time.Time
	// Store receives learned role maxima; nil saves nothing.
	Store *Store
	// Config is the loaded files, for endpoint_url and [services].
	Config *config.Config
	// Debug receives the --debug log (masked keys only); nil logs nothing.
	Debug io.Writer
	// Location is the zone of expiry times written without one
	// (AWSUME_EXPIRATION); nil is time.Local.
	Location *time.Location
	// QuietProcess runs credential_process away from the terminal: its
	// standard input is empty and what it writes on standard error is
	// kept, and its last line quoted when it fails, instead of drawn over
	// the switcher's screen. Off, the process shares rolesw's terminal as
	// under the AWS CLI, so it can prompt.
	QuietProcess bool
}

// Client makes rolesw's AWS calls.
type Client struct {
	opts Options
}

// New returns a Client; zero fields of opts get their defaults.
func New(opts Options) *Client {
	if opts.Lookup == nil {
		opts.Lookup = func(string) (string, bool) { return "", false }
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Location == nil {
		opts.Location = time.Local
	}
	return &Client{opts: opts}
}

// env returns a variable's value, "" when unset or empty: like the SDK,
// rolesw treats an empty region or endpoint variable as unset.
func (c *Client) env(name string) string {
	v, _ := c.opts.Lookup(name)
	return strings.TrimSpace(v)
}

func (c *Client) debugf(format string, args ...any) {
	if c.opts.Debug != nil {
		fmt.Fprintf(c.opts.Debug, c.opts.Now().UTC().Format(time.RFC3339)+" "+format+"\n", args...)
	}
}

// profile returns the named profile of the loaded files, or nil.
func (c *Client) profile(name string) *config.Profile {
	cfg := c.opts.Config
	if cfg == nil || name == "" {
		return nil
	}
	if p, ok := cfg.Profile(name); ok {
		return p
	}
	// A Config built by hand in a test has no index; search the list.
	for i := len(cfg.Profiles) - 1; i >= 0; i-- {
		if cfg.Profiles[i].Name == name {
			return cfg.Profiles[i]
		}
	}
	return nil
}

// region picks the STS region: --region, AWS_REGION, AWS_DEFAULT_REGION,
// the selected profile's region, else the global endpoint.
func (c *Client) region(profileRegion string) string {
	for _, r := range []string{c.opts.Region, c.env("AWS_REGION"), c.env("AWS_DEFAULT_REGION"), strings.TrimSpace(profileRegion)} {
		if r != "" {
			return r
		}
	}
	return globalRegion
}

// endpoint returns the configured STS endpoint for profile ("" for the
// SDK's own) and where it came from, in the SDK's order.
func (c *Client) endpoint(profile string) (url, from string) {
	p := c.profile(profile)
	if strings.EqualFold(c.env("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"), "true") ||
		(p != nil && strings.EqualFold(strings.TrimSpace(p.Value("ignore_configured_endpoint_urls")), "true")) {
		return "", ""
	}
	if v := c.env("AWS_ENDPOINT_URL_STS"); v != "" {
		return v, "AWS_ENDPOINT_URL_STS"
	}
	// The SDK skips the [services] section when only the global variable
	// is set: AWS_ENDPOINT_URL then wins over the file.
	if v := c.env("AWS_ENDPOINT_URL"); v != "" {
		return v, "AWS_ENDPOINT_URL"
	}
	if p == nil {
		return "", ""
	}
	if name := strings.TrimSpace(p.Value("services")); name != "" && c.opts.Config != nil {
		if v := nestedValue(c.opts.Config.Services[name]["sts"], "endpoint_url"); v != "" {
			return v, fmt.Sprintf("[services %s] sts endpoint_url", name)
		}
	}
	if v := strings.TrimSpace(p.Value("endpoint_url")); v != "" {
		return v, fmt.Sprintf("endpoint_url of profile %s", p.Name)
	}
	return "", ""
}

// nestedValue reads key from a nested block such as "\nendpoint_url = X".
func nestedValue(block, key string) string {
	for _, line := range strings.Split(block, "\n") {
		k, v, ok := strings.Cut(line, "=")
		if ok && strings.EqualFold(strings.TrimSpace(k), key) {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// stsTarget is where an STS client sends its requests.
type stsTarget struct {
	Region   string // signing region given to the SDK
	Endpoint string // "" for the SDK's endpoint of Region
}

// URL is the endpoint a user reads in an error message.
func (t stsTarget) URL() string {
	if t.Endpoint != "" {
		return t.Endpoint
	}
	if t.Region == globalRegion || t.Region == "" {
		return "https://sts.amazonaws.com"
	}
	return "https://sts." + t.Region + ".amazonaws.com"
}

// target resolves region and endpoint for the STS calls of profile.
func (c *Client) target(profile, profileRegion string) stsTarget {
	t := stsTarget{Region: c.region(profileRegion)}
	t.Endpoint, _ = c.endpoint(profile)
	if t.Endpoint != "" && t.Region == globalRegion {
		// With a custom endpoint the SDK signs for the region as given;
		// "aws-global" is no signing region, us-east-1 is what the
		// global endpoint itself expects.
		t.Region = "us-east-1"
	}
	return t
}

// stsClient builds an STS client for t signed with creds (nil: unsigned).
// It is built from sts.Options rather than LoadDefaultConfig so that
// nothing is read from the process environment or the files behind
// rolesw's back.
func (c *Client) stsClient(t stsTarget, creds aws.CredentialsProvider) *sts.Client {
	o := sts.Options{
		Region:      t.Region,
		Credentials: creds,
		Retryer: retry.NewStandard(func(o *retry.StandardOptions) {
			// Few attempts, short waits: a person is watching a spinner.
			o.MaxAttempts = 3
			o.MaxBackoff = 2 * time.Second
		}),
	}
	if c.opts.HTTPClient != nil {
		o.HTTPClient = c.opts.HTTPClient
	}
	if t.Endpoint != "" {
		o.BaseEndpoint = aws.String(t.Endpoint)
	}
	return sts.New(o)
}

// identify calls GetCallerIdentity at t signed by provider. Any failure,
// including an answer without an ARN, is an error for the caller to show
// as "identity unknown".
func (c *Client) identify(ctx context.Context, t stsTarget, provider aws.CredentialsProvider) (id Identity, err error) {
	defer func() {
		// A broken endpoint must not take rolesw down with it.
		if r := recover(); r != nil {
			err = fmt.Errorf("GetCallerIdentity at %s failed: %v", t.URL(), r)
		}
	}()
	out, err := c.stsClient(t, provider).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		return Identity{}, &CallError{Action: "GetCallerIdentity", URL: t.URL(), Err: err}
	}
	id = Identity{Account: aws.ToString(out.Account), ARN: aws.ToString(out.Arn), UserID: aws.ToString(out.UserId)}
	if id.ARN == "" {
		return Identity{}, fmt.Errorf("GetCallerIdentity at %s answered without an ARN", t.URL())
	}
	return id, nil
}
