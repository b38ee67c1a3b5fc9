package e2e

import (
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// browser is a cookie-keeping HTTP client without JavaScript: it follows
// redirects and submits forms when told to, as a user pressing the
// <noscript> Continue button would.
type browser struct {
	t testing.TB
	c *http.Client
}

func newBrowser(t testing.TB) *browser {
	t.Helper()
	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	c := &http.Client{Jar: jar, Timeout: 15 * time.Second}
	t.Cleanup(c.CloseIdleConnections)
	return &browser{t: t, c: c}
}

// page is a response as the browser shows it: the final URL after
// redirects, the status and the body.
type page struct {
	URL    *url.URL
	Status int
	Body   string
}

func (b *browser) do(req *http.Request) *page {
	b.t.Helper()
	resp, err := b.c.Do(req)
	require.NoError(b.t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(b.t, err)
	return &page{URL: resp.Request.URL, Status: resp.StatusCode, Body: string(body)}
}

func (b *browser) get(u string) *page {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodGet, u, nil)
	require.NoError(b.t, err)
	return b.do(req)
}

func (b *browser) post(u string, form url.Values) *page {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodPost, u, strings.NewReader(form.Encode()))
	require.NoError(b.t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

// submit fills the first POST form of p whose hidden fields include
// marker with extra and submits it.
func (b *browser) submit(p *page, marker string, extra url.Values) *page {
	b.t.Helper()
	f := findForm(b.t, p, marker)
	for k, vs := range extra {
		f.fields[k] = vs
	}
	return b.post(f.action, f.fields)
}

// form is a parsed HTML form: its resolved action and hidden inputs.
type form struct {
	action string
	fields url.Values
}

var (
	formRE  = regexp.MustCompile(`(?s)<form\b([^>]*)>(.*?)</form>`)
	attrRE  = regexp.MustCompile(`([a-zA-Z-]+)="([^"]*)"`)
	inputRE = regexp.MustCompile(`<input\b([^>]*)>`)
)

func attrs(s string) map[string]string {
	m := map[string]string{}
	for _, a := range attrRE.FindAllStringSubmatch(s, -1) {
		m[strings.ToLower(a[1])] = html.UnescapeString(a[2])
	}
	return m
}

// findForm returns the first POST form of p with a hidden input named
// marker, with its action resolved against p's URL.
func findForm(t testing.TB, p *page, marker string) form {
	t.Helper()
	for _, m := range formRE.FindAllStringSubmatch(p.Body, -1) {
		fa := attrs(m[1])
		if !strings.EqualFold(fa["method"], "post") {
			continue
		}
		f := form{fields: url.Values{}}
		for _, in := range inputRE.FindAllStringSubmatch(m[2], -1) {
			ia := attrs(in[1])
			if ia["type"] == "hidden" {
				f.fields.Set(ia["name"], ia["value"])
			}
		}
		if _, ok := f.fields[marker]; !ok {
			continue
		}
		action, err := p.URL.Parse(fa["action"])
		require.NoError(t, err)
		f.action = action.String()
		return f
	}
	require.Failf(t, "no form", "no POST form with %q at %s (status %d):\n%s", marker, p.URL, p.Status, p.Body)
	return form{}
}

// hasForm reports whether p has a POST form with a hidden input marker.
func hasForm(p *page, marker string) bool {
	for _, m := range formRE.FindAllStringSubmatch(p.Body, -1) {
		if strings.Contains(m[2], `name="`+marker+`"`) && strings.Contains(strings.ToLower(m[1]), `method="post"`) {
			return true
		}
	}
	return false
}
