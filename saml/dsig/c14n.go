package dsig

import (
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/beevik/etree"
)

// nsXML is the namespace bound to the reserved prefix "xml".
const nsXML = "http://www.w3.org/XML/1998/namespace"

// flushAt is the buffer size at which canonical output is handed to the
// writer (normally a hash.Hash).
const flushAt = 8 << 10

type nsBinding struct{ prefix, uri string }

type attrRef struct {
	uri string
	a   *etree.Attr
}

// canonicalizer renders an etree subtree as exclusive XML canonicalisation
// without comments (W3C xml-exc-c14n, §3) in one walk, streaming to w.
type canonicalizer struct {
	w         io.Writer
	buf       []byte
	skip      *etree.Element // the enveloped Signature, omitted
	inclusive []string       // InclusiveNamespaces PrefixList; "" = #default
	scope     []nsBinding    // in-scope declarations, innermost last
	rendered  []nsBinding    // declarations in effect in the output
	attrs     []attrRef      // scratch for sorting
	decls     []nsBinding    // scratch for sorting
}

var bufPool = sync.Pool{New: func() any { b := make([]byte, 0, 2*flushAt); return &b }}

var canonPool = sync.Pool{New: func() any { return new(canonicalizer) }}

// canonicalize writes the exclusive canonical form of el to w, omitting the
// element skip (if not nil) wherever it occurs in the subtree. prefixes is
// the InclusiveNamespaces PrefixList, with "#default" for the default
// namespace. Namespaces declared on el's ancestors are taken into account.
func canonicalize(w io.Writer, el, skip *etree.Element, prefixes []string) error {
	c := canonPool.Get().(*canonicalizer)
	bp := bufPool.Get().(*[]byte)
	c.w, c.buf, c.skip = w, (*bp)[:0], skip
	c.inclusive = c.inclusive[:0]
	for _, p := range prefixes {
		if p == "#default" {
			p = ""
		}
		c.inclusive = append(c.inclusive, p)
	}
	c.scope, c.rendered = c.scope[:0], c.rendered[:0]
	c.ancestorScope(el.Parent())
	err := c.element(el)
	if err == nil {
		err = c.flush()
	}
	*bp = c.buf[:0]
	bufPool.Put(bp)
	c.release()
	canonPool.Put(c)
	return err
}

// canonicalBytes returns the exclusive canonical form of el.
func canonicalBytes(el, skip *etree.Element, prefixes []string) ([]byte, error) {
	var sb byteSink
	if err := canonicalize(&sb, el, skip, prefixes); err != nil {
		return nil, err
	}
	return sb.b, nil
}

// release drops every reference into the canonicalised document so that a
// pooled canonicalizer does not keep it alive.
func (c *canonicalizer) release() {
	c.w, c.buf, c.skip = nil, nil, nil
	clear(c.scope[:cap(c.scope)])
	clear(c.rendered[:cap(c.rendered)])
	clear(c.attrs[:cap(c.attrs)])
	clear(c.decls[:cap(c.decls)])
	clear(c.inclusive[:cap(c.inclusive)])
}

type byteSink struct{ b []byte }

func (s *byteSink) Write(p []byte) (int, error) { s.b = append(s.b, p...); return len(p), nil }

func (c *canonicalizer) ancestorScope(p *etree.Element) {
	if p == nil {
		return
	}
	c.ancestorScope(p.Parent())
	c.pushDecls(p)
}

func (c *canonicalizer) pushDecls(el *etree.Element) {
	for i := range el.Attr {
		a := &el.Attr[i]
		switch {
		case a.Space == "xmlns":
			c.scope = append(c.scope, nsBinding{a.Key, a.Value})
		case a.Space == "" && a.Key == "xmlns":
			c.scope = append(c.scope, nsBinding{"", a.Value})
		}
	}
}

func lookup(stack []nsBinding, prefix string) (string, bool) {
	for i := len(stack) - 1; i >= 0; i-- {
		if stack[i].prefix == prefix {
			return stack[i].uri, true
		}
	}
	return "", false
}

func (c *canonicalizer) flush() error {
	if len(c.buf) == 0 {
		return nil
	}
	_, err := c.w.Write(c.buf)
	c.buf = c.buf[:0]
	return err
}

func (c *canonicalizer) element(el *etree.Element) error {
	scopeMark, renderedMark := len(c.scope), len(c.rendered)
	c.pushDecls(el)
	if err := c.startTag(el); err != nil {
		return err
	}
	for _, tok := range el.Child {
		switch t := tok.(type) {
		case *etree.Element:
			if t == c.skip {
				continue
			}
			if err := c.element(t); err != nil {
				return err
			}
		case *etree.CharData:
			c.buf = appendText(c.buf, t.Data)
		case *etree.ProcInst:
			c.buf = append(c.buf, "<?"...)
			c.buf = append(c.buf, t.Target...)
			if t.Inst != "" {
				c.buf = append(c.buf, ' ')
				c.buf = append(c.buf, t.Inst...)
			}
			c.buf = append(c.buf, "?>"...)
		case *etree.Directive:
			return verr(ErrBadSignature, "directive inside signed content")
		}
	}
	c.buf = append(c.buf, "</"...)
	c.buf = appendQName(c.buf, el.Space, el.Tag)
	c.buf = append(c.buf, '>')
	c.scope, c.rendered = c.scope[:scopeMark], c.rendered[:renderedMark]
	if len(c.buf) >= flushAt {
		return c.flush()
	}
	return nil
}

func (c *canonicalizer) startTag(el *etree.Element) error {
	c.decls, c.attrs = c.decls[:0], c.attrs[:0]
	if err := c.useNamespace(el.Space, false); err != nil {
		return err
	}
	for i := range el.Attr {
		a := &el.Attr[i]
		if a.Space == "xmlns" || (a.Space == "" && a.Key == "xmlns") {
			continue
		}
		uri := ""
		switch a.Space {
		case "":
		case "xml":
			uri = nsXML
		default:
			if err := c.useNamespace(a.Space, false); err != nil {
				return err
			}
			uri, _ = lookup(c.scope, a.Space)
		}
		c.attrs = insertAttr(c.attrs, attrRef{uri, a})
	}
	for _, p := range c.inclusive {
		if err := c.useNamespace(p, true); err != nil {
			return err
		}
	}
	c.rendered = append(c.rendered, c.decls...)
	c.buf = append(c.buf, '<')
	c.buf = appendQName(c.buf, el.Space, el.Tag)
	for _, d := range c.decls {
		if d.prefix == "" {
			c.buf = append(c.buf, ` xmlns="`...)
		} else {
			c.buf = append(c.buf, " xmlns:"...)
			c.buf = append(c.buf, d.prefix...)
			c.buf = append(c.buf, `="`...)
		}
		c.buf = appendAttrValue(c.buf, d.uri)
		c.buf = append(c.buf, '"')
	}
	for _, ar := range c.attrs {
		c.buf = append(c.buf, ' ')
		c.buf = appendQName(c.buf, ar.a.Space, ar.a.Key)
		c.buf = append(c.buf, `="`...)
		c.buf = appendAttrValue(c.buf, ar.a.Value)
		c.buf = append(c.buf, '"')
	}
	c.buf = append(c.buf, '>')
	return nil
}

// useNamespace adds prefix's declaration to c.decls if the output does not
// already have it in effect. optional marks InclusiveNamespaces prefixes,
// which are skipped rather than refused when not in scope.
func (c *canonicalizer) useNamespace(prefix string, optional bool) error {
	if prefix == "xml" {
		return nil
	}
	for _, d := range c.decls {
		if d.prefix == prefix {
			return nil
		}
	}
	uri, inScope := lookup(c.scope, prefix)
	if prefix != "" && (!inScope || uri == "") {
		if optional {
			return nil
		}
		return verr(ErrBadSignature, fmt.Sprintf("namespace prefix %q is not declared", clip(prefix)))
	}
	out, inOutput := lookup(c.rendered, prefix)
	if prefix == "" && uri == "" {
		// xmlns="" only undoes a default namespace rendered above.
		if !inOutput || out == "" {
			return nil
		}
	} else if inOutput && out == uri {
		return nil
	}
	c.decls = insertDecl(c.decls, nsBinding{prefix, uri})
	return nil
}

func insertDecl(s []nsBinding, d nsBinding) []nsBinding {
	s = append(s, d)
	for i := len(s) - 1; i > 0 && s[i].prefix < s[i-1].prefix; i-- {
		s[i], s[i-1] = s[i-1], s[i]
	}
	return s
}

func attrLess(x, y attrRef) bool {
	if x.uri != y.uri {
		return x.uri < y.uri
	}
	return x.a.Key < y.a.Key
}

func insertAttr(s []attrRef, a attrRef) []attrRef {
	s = append(s, a)
	for i := len(s) - 1; i > 0 && attrLess(s[i], s[i-1]); i-- {
		s[i], s[i-1] = s[i-1], s[i]
	}
	return s
}

func appendQName(b []byte, space, local string) []byte {
	if space != "" {
		b = append(b, space...)
		b = append(b, ':')
	}
	return append(b, local...)
}

// appendText escapes character data per C14N §2.3: & < > and CR.
func appendText(b []byte, s string) []byte {
	for {
		i := strings.IndexAny(s, "&<>\r")
		if i < 0 {
			return append(b, s...)
		}
		b = append(b, s[:i]...)
		switch s[i] {
		case '&':
			b = append(b, "&amp;"...)
		case '<':
			b = append(b, "&lt;"...)
		case '>':
			b = append(b, "&gt;"...)
		default:
			b = append(b, "&#xD;"...)
		}
		s = s[i+1:]
	}
}

// appendAttrValue escapes an attribute value per C14N §2.3: & < " TAB LF CR.
func appendAttrValue(b []byte, s string) []byte {
	for {
		i := strings.IndexAny(s, "&<\"\t\n\r")
		if i < 0 {
			return append(b, s...)
		}
		b = append(b, s[:i]...)
		switch s[i] {
		case '&':
			b = append(b, "&amp;"...)
		case '<':
			b = append(b, "&lt;"...)
		case '"':
			b = append(b, "&quot;"...)
		case '\t':
			b = append(b, "&#x9;"...)
		case '\n':
			b = append(b, "&#xA;"...)
		default:
			b = append(b, "&#xD;"...)
		}
		s = s[i+1:]
	}
}
