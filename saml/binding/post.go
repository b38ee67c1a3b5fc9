package binding

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"html/template"
	"net/http"
	"strings"
)

// postScript is the page's only script. Its hash, postScriptHash, is the
// only script source the page's Content-Security-Policy allows; a test
// recomputes it from the rendered page.
const postScript = `document.getElementById("saml-post").submit();`

// postScriptHash is the CSP hash source of postScript.
const postScriptHash = "'sha256-ksB5vsbtOSDHP3+3MQXO5kgqYynnF2d2wynVl+zrIr4='"

// postTemplate renders the auto-submitting form. html/template escapes
// every value for its context; the static script is never altered.
var postTemplate = template.Must(template.New("post").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Continuing sign-in</title>
</head>
<body>
<main>
<h1>Continuing sign-in</h1>
<form id="saml-post" method="post" action="{{.Action}}" aria-describedby="saml-post-help">
<input type="hidden" name="{{.Param}}" value="{{.Message}}">
{{- if .RelayState}}
<input type="hidden" name="RelayState" value="{{.RelayState}}">
{{- end}}
<p id="saml-post-help" role="status">You are being taken to the next step.</p>
<noscript>
<p><label for="saml-post-continue">JavaScript is turned off in your browser: press Continue to carry on.</label></p>
<button type="submit" id="saml-post-continue">Continue</button>
</noscript>
</form>
</main>
<script>` + postScript + `</script>
</body>
</html>
`))

// POST is a SAML message to send with the HTTP-POST binding (SAMLBind
// §3.5): an HTML page whose form the browser submits to Destination. It is
// plain data; [POST.Write] renders it.
type POST struct {
	// Destination is the recipient's endpoint, the form's action: an
	// absolute http or https URL (javascript:, data:, relative URLs and
	// URLs with user info or a fragment are refused, CVE-2023-45683; so are
	// IPv6 literals, which CSP source expressions cannot name). If the
	// message is signed, its Destination attribute must equal this URL.
	Destination string
	// Param is ParamRequest or ParamResponse.
	Param string
	// XML is the serialised message, signed with enveloped XML-DSig if it
	// is to be signed. It is sent base64-encoded, not compressed.
	XML []byte
	// RelayState is sent when non-empty; at most MaxRelayState bytes.
	RelayState string
	// AllowRedirectOrigins adds origins (scheme://host[:port]) to the
	// page's CSP form-action. Chromium applies form-action to redirects
	// that follow a form submission, so if the endpoint at Destination
	// answers with a redirect to another origin (an SP's assertion
	// consumer service sending the user on to the application, an IdP
	// sending the user to a login page elsewhere), that origin must be
	// listed here or the browser stops there. RISK: every origin listed is
	// one more place a form on this page may post to.
	AllowRedirectOrigins []string
}

// WritePOST renders an auto-submitting HTML form that posts the base64 XML
// message (and RelayState when non-empty) to dest; see [POST.Write].
func WritePOST(w http.ResponseWriter, dest, param string, xml []byte, relayState string) error {
	p := POST{Destination: dest, Param: param, XML: xml, RelayState: relayState}
	return p.Write(w)
}

// Write checks the message, then writes a 200 page with an auto-submitting
// form. Nothing is written when a check fails: the caller may still answer
// with an error page.
//
// The page works under its own strict policy:
//
//	Content-Security-Policy: default-src 'none'; script-src 'sha256-…';
//	    form-action <Destination's origin> [AllowRedirectOrigins…];
//	    base-uri 'none'; frame-ancestors 'none'
//
// The single fixed script is allowed by its hash; there are no inline event
// handlers or styles. form-action names only the destination's origin
// because CSP source expressions ignore paths after a redirect anyway. With
// JavaScript turned off the user presses the Continue button inside
// <noscript>. The response is marked not cacheable (Cache-Control: no-cache,
// no-store; Pragma: no-cache) since it carries a bearer message.
func (p *POST) Write(w http.ResponseWriter) error {
	page, csp, err := p.render()
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", csp)
	h.Set("Cache-Control", "no-cache, no-store")
	h.Set("Pragma", "no-cache")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusOK)
	if _, err := w.Write(page); err != nil {
		return fmt.Errorf("binding: writing POST form: %w", err)
	}
	return nil
}

// render checks p and returns the page and its CSP header value.
func (p *POST) render() ([]byte, string, error) {
	u, err := parseDestination(p.Destination)
	if err != nil {
		return nil, "", err
	}
	if err := checkParam(p.Param); err != nil {
		return nil, "", err
	}
	if len(p.XML) == 0 {
		return nil, "", fmt.Errorf("%w: empty XML", ErrMissingMessage)
	}
	if err := checkRelayState(p.RelayState); err != nil {
		return nil, "", err
	}
	if strings.Contains(u.Hostname(), ":") {
		return nil, "", fmt.Errorf("%w: an IPv6 literal cannot be named in a CSP form-action", ErrBadDestination)
	}
	sources := []string{origin(u)}
	for _, o := range p.AllowRedirectOrigins {
		src, err := originSource(o)
		if err != nil {
			return nil, "", err
		}
		sources = append(sources, src)
	}
	var buf bytes.Buffer
	err = postTemplate.Execute(&buf, map[string]string{
		"Action":     u.String(),
		"Param":      p.Param,
		"Message":    base64.StdEncoding.EncodeToString(p.XML),
		"RelayState": p.RelayState,
	})
	if err != nil {
		return nil, "", fmt.Errorf("binding: rendering POST form: %w", err)
	}
	csp := "default-src 'none'; script-src " + postScriptHash +
		"; form-action " + strings.Join(sources, " ") +
		"; base-uri 'none'; frame-ancestors 'none'"
	return buf.Bytes(), csp, nil
}

// originSource checks one AllowRedirectOrigins entry: an http(s) origin
// without path, query or anything else.
func originSource(o string) (string, error) {
	u, err := parseDestination(o)
	if err != nil {
		return "", fmt.Errorf("%w: AllowRedirectOrigins %q: %w", ErrInvalidConfig, o, err)
	}
	if (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.ForceQuery || strings.Contains(u.Hostname(), ":") {
		return "", fmt.Errorf("%w: AllowRedirectOrigins %q is not a bare origin", ErrInvalidConfig, o)
	}
	return origin(u), nil
}
