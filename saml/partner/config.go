package partner

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/eidkit/eidkit/saml/dsig"
)

// Environment names commonly used (N23). Custom names are allowed too.
const (
	// EnvTest is the test (integration) environment.
	EnvTest = "test"
	// EnvProduction is the production environment.
	EnvProduction = "production"
)

// Defaults and bounds. A zero Config field takes the default; a value
// outside the bounds is refused by Validate.
const (
	// DefaultRefreshInterval is the longest time between refreshes of a
	// source (Config.RefreshInterval).
	DefaultRefreshInterval = time.Hour
	// MaxRefreshInterval bounds Config.RefreshInterval.
	MaxRefreshInterval = 24 * time.Hour
	// DefaultMinRefresh is the shortest time between refreshes of a source,
	// however short the metadata's cacheDuration (Config.MinRefresh).
	DefaultMinRefresh = 5 * time.Minute
	// MinMinRefresh bounds Config.MinRefresh from below.
	MinMinRefresh = time.Second
	// DefaultMaxMetadataBytes caps one metadata document (8 MiB).
	DefaultMaxMetadataBytes = 8 << 20
	// MaxMaxMetadataBytes bounds Config.MaxMetadataBytes (256 MiB).
	MaxMaxMetadataBytes = 256 << 20
	// DefaultMaxElements caps the XML elements of one document.
	DefaultMaxElements = 200_000
	// DefaultFetchTimeout bounds one fetch of a URL source, retries
	// included.
	DefaultFetchTimeout = 30 * time.Second
	// MaxFetchTimeout bounds Config.FetchTimeout.
	MaxFetchTimeout = 10 * time.Minute
	// DefaultRetryMax is how many times a fetch is retried after a
	// transport error or a 5xx status.
	DefaultRetryMax = 3
	// MaxRetryMax bounds Config.RetryMax.
	MaxRetryMax = 10
	// MaxSources bounds len(Config.Sources).
	MaxSources = 1000
	// MaxRedirects is how many redirects one fetch follows.
	MaxRedirects = 5
)

var envName = regexp.MustCompile(`^[a-z][a-z0-9_-]{0,31}$`)

// Config configures a Registry. It is plain data: New validates it and
// works on a resolved copy, never changing the caller's struct.
type Config struct {
	// Environment is the one environment the registry serves (N23), e.g.
	// EnvTest or EnvProduction; a lower-case name of at most 32
	// characters. Required.
	Environment string
	// Sources are the metadata sources; at least one. Each must declare
	// the same Environment.
	Sources []Source
	// Suspended lists partners suspended from the start (N25), entityID to
	// notice, e.g. as saved from Registry.Suspensions. An entityID no source
	// provides yet is kept and takes effect if the partner appears.
	Suspended map[string]string

	// RefreshInterval is the longest time between refreshes of a URL or
	// file source; zero means DefaultRefreshInterval, at most
	// MaxRefreshInterval. A shorter cacheDuration in the metadata refreshes
	// sooner.
	RefreshInterval time.Duration
	// MinRefresh is the shortest time between refreshes, also the first
	// retry delay after a failed refresh; zero means DefaultMinRefresh, at
	// least MinMinRefresh and at most RefreshInterval.
	MinRefresh time.Duration
	// MaxMetadataBytes caps one metadata document; zero means
	// DefaultMaxMetadataBytes, at most MaxMaxMetadataBytes.
	MaxMetadataBytes int
	// MaxElements caps the XML elements of one document; zero means
	// DefaultMaxElements.
	MaxElements int
	// MaxEntities caps the entities of one aggregate; zero means
	// metadata.DefaultMaxEntities.
	MaxEntities int

	// HTTPClient is the base client for URL sources; nil means a new client
	// with a pooled transport. Its Transport (and its TLS settings) is used;
	// redirects are limited to MaxRedirects and must stay on https.
	HTTPClient *http.Client
	// FetchTimeout bounds one fetch, retries included; zero means
	// DefaultFetchTimeout, at most MaxFetchTimeout.
	FetchTimeout time.Duration
	// RetryMax is how many times a fetch is retried after a transport error
	// or a 5xx status; zero means DefaultRetryMax, negative means no retry,
	// at most MaxRetryMax.
	RetryMax int
	// RetryWaitMin and RetryWaitMax bound the exponential backoff between
	// retries; zero means 1s and 30s.
	RetryWaitMin, RetryWaitMax time.Duration

	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Logger receives refresh and suspension events; nil discards them.
	Logger *slog.Logger
}

// Source is one metadata document: exactly one of File, URL and Data.
type Source struct {
	// Name labels the source in logs, errors and Partner.Source; empty
	// means the file path, the URL or "data[i]".
	Name string
	// Environment is the environment this metadata belongs to (N23). It
	// must equal Config.Environment: declaring it on every source makes
	// mixing test and production metadata a start-up error. Required.
	Environment string

	// File is the path of a metadata file, re-read at every refresh.
	File string
	// URL is an https URL the metadata is fetched from and refreshed.
	URL string
	// Data is an inline metadata document; it is never refreshed.
	Data []byte

	// Verifier holds the certificates the metadata signature must verify
	// against (N23): the partner's or the federation operator's metadata
	// signing certificates, exchanged out of band. Keys inside the metadata
	// are never trusted to verify it. Required unless AllowUnsigned.
	Verifier *dsig.Verifier
	// AllowUnsigned accepts metadata without a signature (a signature that
	// is present is still verified when Verifier is set). RISK: whoever can
	// alter the document where it is stored or in transit can substitute
	// their own keys and endpoints and then sign in as anyone. Set it only
	// for a local file or inline data the operator vouches for.
	AllowUnsigned bool
	// AllowInsecureHTTP permits an http:// URL whose host is a loopback
	// address, for local development (two examples on one machine). RISK:
	// without TLS and a signature anyone on the path can replace the
	// metadata; other hosts are refused even with this set.
	AllowInsecureHTTP bool
	// AllowNoValidUntil accepts metadata without validUntil. RISK: such
	// metadata never expires, so a partner's withdrawn key stays trusted
	// while refreshes fail. By default validUntil is required.
	AllowNoValidUntil bool
	// MaxValidity, when positive, refuses a validUntil further ahead than
	// this (long-lived metadata defeats key revocation by expiry).
	MaxValidity time.Duration
	// Entities, when not empty, takes only these entityIDs from the
	// document (e.g. the few partners wanted from a federation aggregate);
	// each must be present when the registry is created.
	Entities []string
}

// Validate reports every problem with the configuration, joined; each
// names its field and wraps ErrInvalidConfig.
func (c *Config) Validate() error {
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("%w: "+format, append([]any{ErrInvalidConfig}, args...)...))
	}
	if err := validEnvironment("Environment", c.Environment); err != nil {
		errs = append(errs, err)
	}
	switch {
	case len(c.Sources) == 0:
		bad("Sources: at least one source is required")
	case len(c.Sources) > MaxSources:
		bad("Sources: %d sources, at most %d", len(c.Sources), MaxSources)
	}
	for i := range c.Sources {
		errs = append(errs, c.Sources[i].validate(fmt.Sprintf("Sources[%d]", i), c.Environment)...)
	}
	checkDuration(bad, "RefreshInterval", c.RefreshInterval, 0, MaxRefreshInterval)
	checkDuration(bad, "MinRefresh", c.MinRefresh, MinMinRefresh, MaxRefreshInterval)
	if c.MinRefresh > 0 && c.MinRefresh > orDuration(c.RefreshInterval, DefaultRefreshInterval) {
		bad("MinRefresh: %v exceeds RefreshInterval", c.MinRefresh)
	}
	checkDuration(bad, "FetchTimeout", c.FetchTimeout, 0, MaxFetchTimeout)
	checkDuration(bad, "RetryWaitMin", c.RetryWaitMin, 0, MaxFetchTimeout)
	checkDuration(bad, "RetryWaitMax", c.RetryWaitMax, 0, MaxFetchTimeout)
	if c.RetryWaitMin > 0 && c.RetryWaitMax > 0 && c.RetryWaitMin > c.RetryWaitMax {
		bad("RetryWaitMin: %v exceeds RetryWaitMax %v", c.RetryWaitMin, c.RetryWaitMax)
	}
	if c.MaxMetadataBytes < 0 || c.MaxMetadataBytes > MaxMaxMetadataBytes {
		bad("MaxMetadataBytes: %d outside 0..%d", c.MaxMetadataBytes, MaxMaxMetadataBytes)
	}
	if c.MaxElements < 0 {
		bad("MaxElements: negative")
	}
	if c.MaxEntities < 0 {
		bad("MaxEntities: negative")
	}
	if c.RetryMax > MaxRetryMax {
		bad("RetryMax: %d exceeds %d", c.RetryMax, MaxRetryMax)
	}
	for id := range c.Suspended {
		if id == "" {
			bad("Suspended: empty entityID")
		}
	}
	return errors.Join(errs...)
}

func (s *Source) validate(field, env string) []error {
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("%w: %s."+format, append([]any{ErrInvalidConfig, field}, args...)...))
	}
	switch {
	case s.Environment == "":
		bad("Environment: required (N23)")
	case s.Environment != env:
		bad("Environment: source belongs to %q, registry serves %q (N23)", s.Environment, env)
	}
	kinds := 0
	for _, set := range []bool{s.File != "", s.URL != "", s.Data != nil} {
		if set {
			kinds++
		}
	}
	if kinds != 1 {
		bad("File/URL/Data: exactly one is required, %d set", kinds)
	}
	if s.URL != "" {
		if err := checkURL(s.URL, s.AllowInsecureHTTP); err != nil {
			bad("URL: %v", err)
		}
	}
	if s.Data != nil && len(s.Data) == 0 {
		bad("Data: empty")
	}
	switch {
	case s.Verifier == nil && !s.AllowUnsigned:
		bad("Verifier: required unless AllowUnsigned (N23)")
	case s.Verifier != nil && len(s.Verifier.Certificates) == 0:
		bad("Verifier.Certificates: at least one certificate is required")
	}
	if s.MaxValidity < 0 {
		bad("MaxValidity: negative")
	}
	for j, id := range s.Entities {
		if id == "" {
			bad("Entities[%d]: empty entityID", j)
		}
	}
	return errs
}

// checkURL accepts https URLs, and http URLs to loopback hosts when
// allowHTTP is set. Credentials in URLs are refused: they would be logged.
func checkURL(raw string, allowHTTP bool) error {
	u, err := url.Parse(raw)
	if err != nil {
		return err
	}
	if u.Host == "" || u.Opaque != "" {
		return fmt.Errorf("%q is not an absolute URL", raw)
	}
	if u.User != nil {
		return errors.New("credentials in the URL are not allowed")
	}
	switch u.Scheme {
	case "https":
		return nil
	case "http":
		if !allowHTTP {
			return errors.New("https is required (AllowInsecureHTTP permits http to loopback hosts)")
		}
		if !isLoopback(u.Hostname()) {
			return fmt.Errorf("http is only allowed to loopback hosts, not %q", u.Hostname())
		}
		return nil
	}
	return fmt.Errorf("scheme %q: https is required", u.Scheme)
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func validEnvironment(field, env string) error {
	if !envName.MatchString(env) {
		return fmt.Errorf("%w: %s: %q is not an environment name (lower-case, e.g. %q or %q)",
			ErrInvalidConfig, field, env, EnvTest, EnvProduction)
	}
	return nil
}

func checkDuration(bad func(string, ...any), field string, d, lo, hi time.Duration) {
	if d < 0 || (d > 0 && (d < lo || d > hi)) {
		bad("%s: %v outside %v..%v", field, d, lo, hi)
	}
}

func orDuration(d, def time.Duration) time.Duration {
	if d == 0 {
		return def
	}
	return d
}

// resolvedConfig is Config with defaults applied.
type resolvedConfig struct {
	env                        string
	refresh, minRefresh        time.Duration
	maxBytes, maxElements      int
	maxEntities                int
	fetchTimeout               time.Duration
	retryMax                   int
	retryWaitMin, retryWaitMax time.Duration
	now                        func() time.Time
	log                        *slog.Logger
}

func resolve(c *Config) resolvedConfig {
	r := resolvedConfig{
		env:          c.Environment,
		refresh:      orDuration(c.RefreshInterval, DefaultRefreshInterval),
		minRefresh:   orDuration(c.MinRefresh, DefaultMinRefresh),
		maxBytes:     c.MaxMetadataBytes,
		maxElements:  c.MaxElements,
		maxEntities:  c.MaxEntities,
		fetchTimeout: orDuration(c.FetchTimeout, DefaultFetchTimeout),
		retryMax:     c.RetryMax,
		retryWaitMin: orDuration(c.RetryWaitMin, time.Second),
		retryWaitMax: orDuration(c.RetryWaitMax, 30*time.Second),
		now:          c.Now,
		log:          c.Logger,
	}
	if r.minRefresh > r.refresh {
		r.minRefresh = r.refresh
	}
	if r.maxBytes == 0 {
		r.maxBytes = DefaultMaxMetadataBytes
	}
	if r.maxElements == 0 {
		r.maxElements = DefaultMaxElements
	}
	switch {
	case r.retryMax == 0:
		r.retryMax = DefaultRetryMax
	case r.retryMax < 0:
		r.retryMax = 0
	}
	if r.retryWaitMin > r.retryWaitMax {
		r.retryWaitMin = r.retryWaitMax
	}
	if r.now == nil {
		r.now = time.Now
	}
	if r.log == nil {
		r.log = discardLogger()
	}
	r.log = r.log.With("environment", r.env)
	return r
}

func discardLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }
