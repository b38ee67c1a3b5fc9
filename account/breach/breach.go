package breach

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/go-retryablehttp"

	"github.com/eidkit/eidkit/account/policy"
)

// Defaults and limits.
const (
	DefaultBaseURL          = "https://api.pwnedpasswords.com"
	DefaultTimeout          = 5 * time.Second
	DefaultRetries          = 2
	DefaultMaxResponseBytes = 2 << 20
	// MaxLines bounds the lines read from one response.
	MaxLines = 50_000
	// PrefixLen is how many hex characters of the SHA-1 are sent.
	PrefixLen = 5
)

// Config configures a Client. The zero value is usable.
type Config struct {
	// BaseURL of the range API. Defaults to DefaultBaseURL. Must be https
	// unless AllowInsecureHTTP is set.
	BaseURL string
	// AllowInsecureHTTP permits an http:// BaseURL. Risk: the prefix and
	// the answer travel in clear and can be altered; use only for tests or
	// a local mirror.
	AllowInsecureHTTP bool
	// Timeout bounds each attempt. Defaults to DefaultTimeout.
	Timeout time.Duration
	// Retries is the number of retries after the first attempt. Zero
	// means DefaultRetries; negative means none.
	Retries int
	// MaxResponseBytes bounds the body. Defaults to DefaultMaxResponseBytes.
	MaxResponseBytes int64
	// UserAgent identifies the caller. Defaults to "eidkit-account".
	UserAgent string
	// Logger receives retry logs; nil means no logging.
	Logger *slog.Logger
}

// Validate reports every problem.
func (c Config) Validate() error {
	var errs []error
	if c.BaseURL != "" {
		u, err := url.Parse(c.BaseURL)
		switch {
		case err != nil || u.Host == "":
			errs = append(errs, fmt.Errorf("%w: BaseURL %q", ErrInvalidConfig, c.BaseURL))
		case u.Scheme == "http" && !c.AllowInsecureHTTP:
			errs = append(errs, fmt.Errorf("%w: BaseURL is http; set AllowInsecureHTTP", ErrInvalidConfig))
		case u.Scheme != "https" && u.Scheme != "http":
			errs = append(errs, fmt.Errorf("%w: BaseURL scheme %q", ErrInvalidConfig, u.Scheme))
		}
	}
	if c.Timeout < 0 || c.MaxResponseBytes < 0 {
		errs = append(errs, fmt.Errorf("%w: negative Timeout or MaxResponseBytes", ErrInvalidConfig))
	}
	return errors.Join(errs...)
}

// Client queries the range API. It is safe for concurrent use.
type Client struct {
	base  string
	http  *retryablehttp.Client
	max   int64
	agent string
}

var _ policy.BreachChecker = (*Client)(nil)

// New builds a Client; it never changes cfg.
func New(cfg Config) (*Client, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	hc := retryablehttp.NewClient()
	hc.HTTPClient = &http.Client{Timeout: orDefault(cfg.Timeout, DefaultTimeout)}
	hc.RetryMax = orDefault(cfg.Retries, DefaultRetries)
	if cfg.Retries < 0 {
		hc.RetryMax = 0
	}
	hc.RetryWaitMin, hc.RetryWaitMax = 100*time.Millisecond, time.Second
	hc.Logger = nil
	if cfg.Logger != nil {
		hc.Logger = cfg.Logger
	}
	return &Client{base: strings.TrimRight(orDefault(cfg.BaseURL, DefaultBaseURL), "/"), http: hc,
		max: orDefault(cfg.MaxResponseBytes, DefaultMaxResponseBytes), agent: orDefault(cfg.UserAgent, "eidkit-account")}, nil
}

func orDefault[T comparable](v, d T) T {
	var zero T
	if v == zero {
		return d
	}
	return v
}

// Count returns how many times the password appears in the breach corpus
// (0 when absent). Only the 5-character SHA-1 prefix is sent.
func (c *Client) Count(ctx context.Context, password string) (int, error) {
	sum := sha1.Sum([]byte(password))
	h := strings.ToUpper(hex.EncodeToString(sum[:]))
	req, err := retryablehttp.NewRequestWithContext(ctx, http.MethodGet, c.base+"/range/"+h[:PrefixLen], nil)
	if err != nil {
		return 0, fmt.Errorf("breach: request: %w", err)
	}
	req.Header.Set("Add-Padding", "true")
	req.Header.Set("User-Agent", c.agent)
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, fmt.Errorf("breach: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("%w: %d", ErrStatus, resp.StatusCode)
	}
	return ParseRange(resp.Body, h[PrefixLen:], c.max)
}

// ParseRange reads a range response ("SUFFIX:COUNT" lines, 35 hex
// characters each) and returns the count for suffix. Padding lines (count
// 0) are accepted. Bodies over maxBytes or MaxLines lines are an error.
func ParseRange(r io.Reader, suffix string, maxBytes int64) (int, error) {
	body, err := io.ReadAll(io.LimitReader(r, maxBytes+1))
	if err != nil {
		return 0, fmt.Errorf("breach: reading response: %w", err)
	}
	if int64(len(body)) > maxBytes {
		return 0, fmt.Errorf("%w: over %d bytes", ErrResponseTooLarge, maxBytes)
	}
	sc := bufio.NewScanner(bytes.NewReader(body))
	found, lines := 0, 0
	for sc.Scan() {
		lines++
		if lines > MaxLines {
			return 0, fmt.Errorf("%w: more than %d lines", ErrResponseTooLarge, MaxLines)
		}
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		suf, cnt, ok := strings.Cut(line, ":")
		n, err := strconv.Atoi(cnt)
		if !ok || len(suf) != 40-PrefixLen || !isHex(suf) || err != nil || n < 0 {
			return 0, fmt.Errorf("%w: line %d", ErrMalformedResponse, lines)
		}
		if strings.EqualFold(suf, suffix) {
			found = n
		}
	}
	if err := sc.Err(); err != nil {
		return 0, fmt.Errorf("%w: %w", ErrMalformedResponse, err)
	}
	return found, nil
}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}
