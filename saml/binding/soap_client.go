package binding

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"net/http"
	"time"

	"github.com/beevik/etree"
	"github.com/hashicorp/go-retryablehttp"

	"github.com/eidkit/eidkit/saml"
)

// Defaults applied to zero fields of [SOAPClientConfig].
const (
	// DefaultSOAPTimeout bounds one Call, retries and waits included.
	DefaultSOAPTimeout = 10 * time.Second
	// DefaultSOAPRetries is how often a failed attempt is retried.
	DefaultSOAPRetries = 2
	// MaxSOAPRetries is the most retries a config may ask for.
	MaxSOAPRetries = 10
	// DefaultSOAPRetryWaitMin and DefaultSOAPRetryWaitMax bound the
	// exponential back-off between attempts.
	DefaultSOAPRetryWaitMin = 200 * time.Millisecond
	// DefaultSOAPRetryWaitMax is the longest wait between attempts.
	DefaultSOAPRetryWaitMax = 2 * time.Second
)

// SOAPClientConfig configures a [SOAPClient]. It is plain data: the zero
// value is a working client with the defaults above.
type SOAPClientConfig struct {
	// HTTPClient sends the requests; set it for mutual TLS or a proxy. Nil
	// means a new pooled client. Whatever is given, redirects are not
	// followed (a copy of the client is used; the caller's is not changed):
	// a SOAP endpoint answers, it does not redirect.
	HTTPClient *http.Client
	// Timeout bounds a whole Call, retries and waits included. Zero means
	// DefaultSOAPTimeout. The Call's context may end it sooner.
	Timeout time.Duration
	// MaxRetries is how often an attempt that failed in transport or with
	// HTTP 502, 503 or 504 is retried. Zero means DefaultSOAPRetries; at
	// most MaxSOAPRetries.
	MaxRetries int
	// DisableRetries sends each request once. It excludes MaxRetries.
	DisableRetries bool
	// RetryWaitMin and RetryWaitMax bound the back-off between attempts.
	// Zero means DefaultSOAPRetryWaitMin and DefaultSOAPRetryWaitMax.
	RetryWaitMin, RetryWaitMax time.Duration
	// Limits caps the response: Limits.MaxBytes bounds the body read, the
	// rest bound parsing (saml.ParseXML). Zero fields mean saml's defaults.
	Limits saml.Limits
	// Logger receives retry and transport-failure records. Nil discards.
	Logger *slog.Logger
}

// Validate reports every problem of c, joined; each matches
// ErrInvalidConfig (or saml.ErrInvalidLimits for Limits).
func (c SOAPClientConfig) Validate() error {
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("%w: SOAPClientConfig: "+format, append([]any{ErrInvalidConfig}, args...)...))
	}
	if c.Timeout < 0 {
		bad("Timeout is negative")
	}
	if c.MaxRetries < 0 || c.MaxRetries > MaxSOAPRetries {
		bad("MaxRetries %d outside [0, %d]", c.MaxRetries, MaxSOAPRetries)
	}
	if c.DisableRetries && c.MaxRetries != 0 {
		bad("DisableRetries and MaxRetries are mutually exclusive")
	}
	if c.RetryWaitMin < 0 || c.RetryWaitMax < 0 {
		bad("retry waits are negative")
	}
	if c.RetryWaitMin > 0 && c.RetryWaitMax > 0 && c.RetryWaitMin > c.RetryWaitMax {
		bad("RetryWaitMin %v exceeds RetryWaitMax %v", c.RetryWaitMin, c.RetryWaitMax)
	}
	if err := c.Limits.Validate(); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// SOAPClient sends SAML messages over the SOAP binding's back channel
// (SAMLBind §3.2), for example a LogoutRequest to a session participant,
// and returns the peer's answer. It is safe for concurrent use.
type SOAPClient struct {
	client  *retryablehttp.Client
	timeout time.Duration
	limits  saml.Limits
}

// NewSOAPClient validates cfg and builds a client from a resolved copy of
// it; cfg itself is not changed.
func NewSOAPClient(cfg SOAPClientConfig) (*SOAPClient, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	rc := retryablehttp.NewClient()
	if cfg.HTTPClient != nil {
		hc := *cfg.HTTPClient
		rc.HTTPClient = &hc
	}
	rc.HTTPClient.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	rc.RetryMax = orDefault(cfg.MaxRetries, DefaultSOAPRetries)
	if cfg.DisableRetries {
		rc.RetryMax = 0
	}
	rc.RetryWaitMin = orDefault(cfg.RetryWaitMin, DefaultSOAPRetryWaitMin)
	rc.RetryWaitMax = max(orDefault(cfg.RetryWaitMax, DefaultSOAPRetryWaitMax), rc.RetryWaitMin)
	rc.CheckRetry = soapRetryPolicy
	rc.ErrorHandler = retryablehttp.PassthroughErrorHandler
	logger := cfg.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	rc.Logger = slogAdapter{l: logger.With("component", "binding.SOAPClient")}
	return &SOAPClient{client: rc, timeout: orDefault(cfg.Timeout, DefaultSOAPTimeout), limits: cfg.Limits}, nil
}

func orDefault[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}

// soapRetryPolicy retries transport errors (except those retryablehttp
// knows to be permanent, such as TLS certificate errors) and HTTP 502, 503
// and 504. It never retries 4xx, nor 500 (SOAP 1.1 §6.2 sends faults with
// 500: they are answers) nor 501, nor anything once ctx is done.
func soapRetryPolicy(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	if err != nil {
		return retryablehttp.DefaultRetryPolicy(ctx, nil, err)
	}
	switch resp.StatusCode {
	case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true, nil
	}
	return false, nil
}

// Call wraps xml in a SOAP 1.1 envelope, POSTs it to endpoint and returns
// the single element of the response's Body, parsed under the configured
// Limits and still attached to its document. endpoint must be an absolute
// http or https URL.
//
// A SOAP fault comes back as a *[Fault] (ErrSOAPFault); another HTTP
// status as a *[StatusError] (ErrHTTPStatus); a response over
// Limits.MaxBytes as ErrTooLarge; a response that is not a SOAP 1.1
// envelope as ErrContentType, ErrMalformed or ErrVersionMismatch. The
// message inside is not verified: check its signature with saml/dsig.
func (c *SOAPClient) Call(ctx context.Context, endpoint string, xml []byte) (*etree.Element, error) {
	u, err := parseDestination(endpoint)
	if err != nil {
		return nil, err
	}
	if len(xml) == 0 {
		return nil, fmt.Errorf("%w: empty XML", ErrMissingMessage)
	}
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	req, err := retryablehttp.NewRequestWithContext(ctx, http.MethodPost, u.String(), WrapSOAP(xml))
	if err != nil {
		return nil, fmt.Errorf("binding: SOAP request: %w", err)
	}
	req.Header.Set("Content-Type", SOAPContentType)
	req.Header.Set("Accept", "text/xml")
	req.Header.Set("SOAPAction", `"`+SOAPAction+`"`)
	resp, err := c.client.Do(req)
	if err != nil {
		if resp != nil {
			resp.Body.Close()
		}
		return nil, fmt.Errorf("binding: SOAP call to %s: %w", origin(u), err)
	}
	defer resp.Body.Close()
	data, err := readCapped(resp.Body, soapLimit(c.limits), "SOAP response")
	if err != nil {
		return nil, err
	}
	return c.answer(resp, data)
}

// answer interprets a SOAP response.
func (c *SOAPClient) answer(resp *http.Response, data []byte) (*etree.Element, error) {
	isXML := isXMLContentType(resp.Header.Get("Content-Type"))
	switch {
	case resp.StatusCode == http.StatusOK && isXML:
		return UnwrapSOAP(data, c.limits)
	case resp.StatusCode == http.StatusOK:
		return nil, fmt.Errorf("%w: %q in SOAP response", ErrContentType, resp.Header.Get("Content-Type"))
	case resp.StatusCode == http.StatusInternalServerError && isXML:
		_, err := UnwrapSOAP(data, c.limits)
		if errors.Is(err, ErrSOAPFault) {
			return nil, err
		}
	}
	return nil, &StatusError{StatusCode: resp.StatusCode}
}

// isXMLContentType accepts text/xml, and application/xml which some
// servers send instead.
func isXMLContentType(v string) bool {
	mt, _, err := mime.ParseMediaType(v)
	return err == nil && (mt == "text/xml" || mt == "application/xml")
}

// slogAdapter makes a *slog.Logger a retryablehttp.LeveledLogger.
// retryablehttp reports each failed attempt as an error even when a retry
// follows; it is logged as a warning, since Call returns the final error.
type slogAdapter struct{ l *slog.Logger }

var _ retryablehttp.LeveledLogger = slogAdapter{}

// Error logs at warning level (see the type's doc).
func (a slogAdapter) Error(msg string, kv ...any) { a.l.Warn(msg, kv...) }

// Warn logs at warning level.
func (a slogAdapter) Warn(msg string, kv ...any) { a.l.Warn(msg, kv...) }

// Info logs at info level.
func (a slogAdapter) Info(msg string, kv ...any) { a.l.Info(msg, kv...) }

// Debug logs at debug level.
func (a slogAdapter) Debug(msg string, kv ...any) { a.l.Debug(msg, kv...) }
