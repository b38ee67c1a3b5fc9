package issuerapp

import (
	"bytes"
	"html/template"
	"net/http"

	"github.com/eidkit/eidkit/loa"
	"github.com/eidkit/eidkit/saml/partner"
)

// pageCSP allows nothing but the page itself and forms posting to this
// origin: there are no scripts, styles, images or other assets.
const pageCSP = "default-src 'none'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

// devNotice is shown on every page.
const devNotice = `Development mode: plain HTTP on loopback (idp.Config.AllowInsecureCookies). ` +
	`Cookies and assertions travel unencrypted; a real issuer runs on HTTPS only.`

// demoHint is one demo account as shown on the login page.
type demoHint struct{ User, Password, Note string }

var demoHints = []demoHint{
	{DemoUserAna, DemoPasswordAna, "password only: LoA substantial"},
	{DemoUserIvan, DemoPasswordIvan, "password, then a one-time code: LoA high when a service asks for it"},
}

const layoutHead = `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}} – eidkit demo issuer</title></head>
<body>
<header><p><strong>eidkit demo credential issuer</strong></p>
<p role="note">` + devNotice + `</p></header>
<main>
<h1>{{.Title}}</h1>
`

const layoutFoot = `</main>
<footer><p>Demo only: fictitious users, keys generated on first run.</p></footer>
</body>
</html>
`

// formData feeds loginTemplate.
type formData struct {
	Title, Action, Token, Error, SP, Level, Step, Username string
	Demo                                                   []demoHint
}

var loginTemplate = template.Must(template.New("login").Parse(layoutHead + `
<p>Sign in to continue to <strong>{{.SP}}</strong>, which asks for level of assurance <strong>{{.Level}}</strong>.</p>
{{if .Error}}<p role="alert" id="form-error">{{.Error}}</p>{{end}}
<form method="post" action="{{.Action}}">
<input type="hidden" name="token" value="{{.Token}}">
<input type="hidden" name="step" value="{{.Step}}">
{{if eq .Step "password"}}
<p><label for="username">Username</label><br>
<input id="username" name="username" autocomplete="username" required{{if .Error}} aria-invalid="true" aria-describedby="form-error"{{end}}></p>
<p><label for="password">Password</label><br>
<input id="password" name="password" type="password" autocomplete="current-password" required></p>
{{else}}
<p>Signed in as <strong>{{.Username}}</strong> with a password. This service needs a second factor.</p>
<p><label for="code">One-time code from your authenticator app (6 digits)</label><br>
<input id="code" name="code" inputmode="numeric" pattern="[0-9]{6}" maxlength="6" autocomplete="one-time-code" required{{if .Error}} aria-invalid="true" aria-describedby="form-error"{{end}}></p>
{{end}}
<p><button type="submit">Continue</button>
<button type="submit" name="cancel" value="1" formnovalidate>Cancel and return to the service</button></p>
</form>
<aside aria-labelledby="demo-users"><h2 id="demo-users">Demo users</h2>
<ul>{{range .Demo}}<li><strong>{{.User}}</strong> / <code>{{.Password}}</code>: {{.Note}}</li>{{end}}</ul>
<p>The one-time code for ivan comes from the otpauth URI printed at start (or the console with -show-codes).</p>
</aside>
` + layoutFoot))

// homeData feeds homeTemplate.
type homeData struct {
	Title, EntityID, MetadataURL, LogoutURL, SPMetadataURL, Trust string
	Partners                                                      []*partner.Partner
	Demo                                                          []demoHint
}

var homeTemplate = template.Must(template.New("home").Parse(layoutHead + `
<p>This issuer authenticates users for e-services with SAML 2.0 (eidkit saml/idp).</p>
<dl>
<dt>Entity ID</dt><dd>{{.EntityID}}</dd>
<dt>Metadata</dt><dd><a href="{{.MetadataURL}}">{{.MetadataURL}}</a></dd>
</dl>
<section aria-labelledby="partners"><h2 id="partners">Trusted e-services</h2>
{{if .Partners}}<ul>{{range .Partners}}<li>{{.EntityID}}{{if .Suspended}} (suspended){{end}}</li>{{end}}</ul>
<p>Trust: {{.Trust}}.</p>
{{else}}<p>None yet: waiting for the e-service metadata at {{.SPMetadataURL}} (retrying in the background).</p>{{end}}
</section>
<section aria-labelledby="users"><h2 id="users">Demo users</h2>
<ul>{{range .Demo}}<li><strong>{{.User}}</strong> / <code>{{.Password}}</code>: {{.Note}}</li>{{end}}</ul>
</section>
<section aria-labelledby="signout"><h2 id="signout">Sign out</h2>
<form method="post" action="{{.LogoutURL}}"><p><button type="submit">Sign out of the issuer and every e-service (single logout)</button></p></form>
</section>
` + layoutFoot))

// writePage renders tmpl into a buffer first, so that a template error
// never leaves half a page, and sends it with the security headers.
func writePage(w http.ResponseWriter, status int, tmpl *template.Template, data any) error {
	var buf bytes.Buffer
	if err := tmpl.Execute(&buf, data); err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", pageCSP)
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	w.WriteHeader(status)
	_, err := w.Write(buf.Bytes())
	return err
}

// levelName is a level as users read it.
func levelName(l loa.Level) string {
	switch l {
	case loa.Notified(loa.High):
		return "high"
	case loa.Notified(loa.Substantial):
		return "substantial"
	case loa.Notified(loa.Low):
		return "low"
	}
	return l.String()
}
