package eserviceapp

import (
	"bytes"
	"html/template"
	"net/http"
	"slices"

	"github.com/eidkit/eidkit/loa"
	"github.com/eidkit/eidkit/saml/sp"
)

// devNotice is shown on every page.
const devNotice = `Development mode: plain HTTP on loopback (sp.Config.AllowInsecureHTTP). ` +
	`Cookies and assertions travel unencrypted; a real e-service runs on HTTPS only.`

const layoutHead = `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}} – eidkit demo e-service</title></head>
<body>
<header><p><strong>eidkit demo e-service</strong></p>
<nav aria-label="Main"><ul>
<li><a href="/">Start</a></li>
<li><a href="/substantial">Tax records (LoA substantial)</a></li>
<li><a href="/high">Land registry (LoA high)</a></li>
<li><a href="/profile">What the issuer sent</a></li>
</ul></nav>
<p role="note">` + devNotice + `</p></header>
<main>
<h1>{{.Title}}</h1>
`

const layoutFoot = `{{if .Who}}<form method="post" action="{{.LogoutURL}}"><p>Signed in as {{.Who}} at LoA {{.Level}}.
<button type="submit">Sign out (single logout)</button></p></form>{{end}}
</main>
<footer><p>Demo only: pages and data are fictitious.</p></footer>
</body>
</html>
`

// pageData feeds every template.
type pageData struct {
	Title, Who, Level, LogoutURL, LoginURL, IdPStatus string
	Identity                                          *sp.Identity
	Attributes                                        []sp.Attribute
}

var homeTemplate = template.Must(template.New("home").Parse(layoutHead + `
<p>This public page needs no sign-in. The pages in the menu do: the tax
records ask for level of assurance substantial, the land registry for high.
Signing in at substantial and then opening the land registry sends you back
to the issuer for a second factor (step-up).</p>
{{if not .Who}}<p><a href="{{.LoginURL}}">Sign in</a> (any level).</p>{{end}}
<p>Identity provider: {{.IdPStatus}}</p>
` + layoutFoot))

var substantialTemplate = template.Must(template.New("substantial").Parse(layoutHead + `
<p>Welcome, {{.Who}}. This page needs LoA substantial; you signed in at {{.Level}}.</p>
<p>Demo tax records: nothing due.</p>
` + layoutFoot))

var highTemplate = template.Must(template.New("high").Parse(layoutHead + `
<p>Welcome, {{.Who}}. This page needs LoA high; you signed in at {{.Level}}.</p>
<p>Demo land registry: no pending changes.</p>
` + layoutFoot))

var profileTemplate = template.Must(template.New("profile").Parse(layoutHead + `
{{with .Identity}}
<dl>
<dt>NameID</dt><dd>{{.NameID}}</dd>
<dt>NameID format</dt><dd>{{.NameIDFormat}}</dd>
<dt>SessionIndex</dt><dd>{{.SessionIndex}}</dd>
<dt>Level of assurance</dt><dd>{{$.Level}} ({{.LoAClassRef}})</dd>
<dt>Issuer</dt><dd>{{.Issuer}}</dd>
<dt>Authenticated at</dt><dd>{{.AuthnInstant.UTC.Format "2006-01-02 15:04:05 UTC"}}</dd>
<dt>Assertion ID</dt><dd>{{.AssertionID}}</dd>
</dl>
{{end}}
<table>
<caption>Attributes, each with all its values</caption>
<thead><tr><th scope="col">Name</th><th scope="col">Name format</th><th scope="col">Friendly name</th><th scope="col">Values</th></tr></thead>
<tbody>
{{range .Attributes}}<tr><th scope="row">{{.Name}}</th><td>{{.NameFormat}}</td><td>{{.FriendlyName}}</td>
<td><ul>{{range .Values}}<li>{{.Value}}{{if not .LatinScript}} (non-Latin script){{end}}</li>{{end}}</ul></td></tr>
{{end}}
</tbody>
</table>
` + layoutFoot))

// serveHome is the public page.
func (a *app) serveHome(w http.ResponseWriter, r *http.Request) {
	d := a.data(r, "Public services", nil)
	if partners, mode := a.idp.Status(); len(partners) > 0 {
		d.IdPStatus = partners[0].EntityID + ", trusted: " + mode
	} else {
		d.IdPStatus = "waiting for the issuer metadata at " + a.cfg.IdPMetadataURL + " (retrying in the background)"
	}
	a.write(w, homeTemplate, d)
}

func (a *app) serveSubstantial(w http.ResponseWriter, r *http.Request) {
	a.write(w, substantialTemplate, a.data(r, "Tax records", sp.IdentityFromContext(r.Context())))
}

func (a *app) serveHigh(w http.ResponseWriter, r *http.Request) {
	a.write(w, highTemplate, a.data(r, "Land registry", sp.IdentityFromContext(r.Context())))
}

func (a *app) serveProfile(w http.ResponseWriter, r *http.Request) {
	id := sp.IdentityFromContext(r.Context())
	d := a.data(r, "What the issuer sent", id)
	d.Identity = id
	d.Attributes = attributesOf(id)
	a.write(w, profileTemplate, d)
}

// data fills the common fields; id is the guarded route's identity, or
// nil for public pages, which look the session up themselves.
func (a *app) data(r *http.Request, title string, id *sp.Identity) pageData {
	d := pageData{Title: title, LogoutURL: a.sp.LogoutURL(), LoginURL: a.sp.LoginURL() + "?return=/profile"}
	if id == nil {
		if s, err := a.sp.Session(r); err == nil {
			id = s.Identity
		}
	}
	if id != nil {
		d.Who = displayName(id)
		d.Level = levelName(id)
	}
	return d
}

// attributesOf returns every attribute as received, or, when the raw form
// is absent, the name-to-values map in name order.
func attributesOf(id *sp.Identity) []sp.Attribute {
	if id == nil {
		return nil
	}
	if len(id.RawAttributes) > 0 {
		return id.RawAttributes
	}
	names := make([]string, 0, len(id.Attributes))
	for n := range id.Attributes {
		names = append(names, n)
	}
	slices.Sort(names)
	out := make([]sp.Attribute, 0, len(names))
	for _, n := range names {
		at := sp.Attribute{Name: n}
		for _, v := range id.Attributes[n] {
			at.Values = append(at.Values, sp.AttributeValue{Value: v, LatinScript: true})
		}
		out = append(out, at)
	}
	return out
}

func displayName(id *sp.Identity) string {
	name := id.First(sp.AttrGivenName)
	if fam := id.First(sp.AttrFamilyName); fam != "" {
		name += " " + fam
	}
	if name == "" {
		return id.NameID
	}
	return name
}

// levelName is the identity's level as users read it.
func levelName(id *sp.Identity) string {
	switch id.LoA {
	case loa.Notified(loa.High):
		return "high"
	case loa.Notified(loa.Substantial):
		return "substantial"
	case loa.Notified(loa.Low):
		return "low"
	}
	if l, err := loa.ParseClassRef(id.LoAClassRef); err == nil {
		return l.String()
	}
	return id.LoAClassRef
}

// write renders tmpl into a buffer first, so that a template error never
// leaves half a page, and sends it with the security headers. Forms post
// to this origin; logout's redirect chain continues at the issuer, so its
// origin is allowed as a form target too.
func (a *app) write(w http.ResponseWriter, tmpl *template.Template, d pageData) {
	var buf bytes.Buffer
	if err := tmpl.Execute(&buf, d); err != nil {
		a.log.Warn("eservice: page failed", "page", tmpl.Name(), "error", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", "default-src 'none'; form-action 'self' "+a.idpOrigin+"; base-uri 'none'; frame-ancestors 'none'")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	_, _ = w.Write(buf.Bytes())
}
