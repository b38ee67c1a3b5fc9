package partner

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// fetcher gets metadata documents over HTTP(S) with retries.
type fetcher struct {
	client   *retryablehttp.Client
	maxBytes int
	timeout  time.Duration
}

// *slog.Logger is used directly as retryablehttp's leveled logger.
var _ retryablehttp.LeveledLogger = (*slog.Logger)(nil)

// allowHTTPKey carries a source's AllowInsecureHTTP to CheckRedirect.
type allowHTTPKey struct{}

// fetched is the outcome of one successful fetch.
type fetched struct {
	body         []byte
	notModified  bool
	etag         string
	lastModified string
}

func newFetcher(rc resolvedConfig, base *http.Client) *fetcher {
	hc := &http.Client{}
	if base != nil {
		c := *base // never change the caller's client
		hc = &c
	} else {
		hc.Transport = http.DefaultTransport.(*http.Transport).Clone()
	}
	hc.CheckRedirect = checkRedirect
	return &fetcher{
		client: &retryablehttp.Client{
			HTTPClient:   hc,
			Logger:       rc.log.With("component", "partner.fetch"),
			RetryWaitMin: rc.retryWaitMin,
			RetryWaitMax: rc.retryWaitMax,
			RetryMax:     rc.retryMax,
			CheckRetry:   retryPolicy,
			Backoff:      retryablehttp.DefaultBackoff,
			ErrorHandler: retryablehttp.PassthroughErrorHandler,
		},
		maxBytes: rc.maxBytes,
		timeout:  rc.fetchTimeout,
	}
}

// checkRedirect follows at most MaxRedirects redirects, each to a URL the
// source itself would be allowed to use: https, or http to loopback with
// AllowInsecureHTTP. A downgrade to http is refused.
func checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= MaxRedirects {
		return fmt.Errorf("%w: more than %d redirects", ErrFetch, MaxRedirects)
	}
	allow, _ := req.Context().Value(allowHTTPKey{}).(bool)
	if err := checkURL(req.URL.String(), allow); err != nil {
		return fmt.Errorf("%w: redirect refused: %w", ErrFetch, err)
	}
	return nil
}

// retryPolicy retries transport errors and 5xx statuses only: never a
// cancelled context, a refused redirect, a certificate error or a 4xx.
func retryPolicy(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	if err != nil {
		if errors.Is(err, ErrFetch) {
			return false, err
		}
		// DefaultRetryPolicy declines TLS, scheme and redirect errors and
		// retries other transport errors.
		return retryablehttp.DefaultRetryPolicy(ctx, resp, err)
	}
	if resp.StatusCode >= 500 && resp.StatusCode != http.StatusNotImplemented {
		return true, nil
	}
	return false, nil
}

// get fetches rawURL, conditionally when etag or lastModified is known.
func (f *fetcher) get(ctx context.Context, rawURL string, allowHTTP bool, etag, lastModified string) (*fetched, error) {
	ctx, cancel := context.WithTimeout(ctx, f.timeout)
	defer cancel()
	ctx = context.WithValue(ctx, allowHTTPKey{}, allowHTTP)
	req, err := retryablehttp.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrFetch, err)
	}
	req.Header.Set("Accept", "application/samlmetadata+xml, application/xml;q=0.9, text/xml;q=0.8")
	req.Header.Set("User-Agent", "eidkit-partner")
	if etag != "" {
		req.Header.Set("If-None-Match", etag)
	}
	if lastModified != "" {
		req.Header.Set("If-Modified-Since", lastModified)
	}
	resp, err := f.client.Do(req)
	if err != nil {
		if resp != nil {
			resp.Body.Close()
		}
		return nil, fmt.Errorf("%w: %w", ErrFetch, err)
	}
	defer resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusOK:
	case http.StatusNotModified:
		if etag == "" && lastModified == "" {
			return nil, &FetchError{URL: rawURL, StatusCode: resp.StatusCode}
		}
		return &fetched{notModified: true, etag: etag, lastModified: lastModified}, nil
	default:
		return nil, &FetchError{URL: rawURL, StatusCode: resp.StatusCode}
	}
	if resp.ContentLength > int64(f.maxBytes) {
		return nil, fmt.Errorf("%w: Content-Length %d exceeds %d bytes", ErrTooLarge, resp.ContentLength, f.maxBytes)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, int64(f.maxBytes)+1))
	if err != nil {
		return nil, fmt.Errorf("%w: reading body: %w", ErrFetch, err)
	}
	if len(body) > f.maxBytes {
		return nil, fmt.Errorf("%w: more than %d bytes", ErrTooLarge, f.maxBytes)
	}
	return &fetched{
		body:         body,
		etag:         resp.Header.Get("ETag"),
		lastModified: resp.Header.Get("Last-Modified"),
	}, nil
}
