package saml

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/beevik/etree"
)

// Defaults applied by [ParseXML] to zero fields of [Limits].
const (
	// DefaultMaxBytes caps the input size: 1 MiB. A signed Response with an
	// encrypted assertion and a dozen attributes is about 10 KiB; signed
	// metadata of one entity a few KiB.
	DefaultMaxBytes = 1 << 20
	// DefaultMaxDepth caps element nesting. SAML messages nest about 10
	// levels deep, 12 inside a SOAP envelope.
	DefaultMaxDepth = 64
	// DefaultMaxAttributes caps attributes (namespace declarations included)
	// on one element.
	DefaultMaxAttributes = 64
	// DefaultMaxElements caps the number of elements in one document.
	DefaultMaxElements = 10000
)

// Limits caps what [ParseXML] accepts. A zero field means the matching
// Default constant; a negative field is an error ([ErrInvalidLimits]).
type Limits struct {
	// MaxBytes is the largest input in bytes. Default DefaultMaxBytes.
	MaxBytes int
	// MaxDepth is the deepest element nesting; the root is at depth 1.
	// Default DefaultMaxDepth.
	MaxDepth int
	// MaxAttributes is the most attributes, namespace declarations included,
	// on a single element. Default DefaultMaxAttributes.
	MaxAttributes int
	// MaxElements is the most elements in the document. Default
	// DefaultMaxElements.
	MaxElements int
}

// Validate reports every negative field.
func (l Limits) Validate() error {
	var errs []error
	for _, f := range [...]struct {
		name string
		v    int
	}{{"MaxBytes", l.MaxBytes}, {"MaxDepth", l.MaxDepth}, {"MaxAttributes", l.MaxAttributes}, {"MaxElements", l.MaxElements}} {
		if f.v < 0 {
			errs = append(errs, fmt.Errorf("%w: %s is negative (%d)", ErrInvalidLimits, f.name, f.v))
		}
	}
	return errors.Join(errs...)
}

// withDefaults returns a copy with zero fields replaced by the defaults.
func (l Limits) withDefaults() Limits {
	if l.MaxBytes == 0 {
		l.MaxBytes = DefaultMaxBytes
	}
	if l.MaxDepth == 0 {
		l.MaxDepth = DefaultMaxDepth
	}
	if l.MaxAttributes == 0 {
		l.MaxAttributes = DefaultMaxAttributes
	}
	if l.MaxElements == 0 {
		l.MaxElements = DefaultMaxElements
	}
	return l
}

// utf8BOM is the byte order mark some peers put before a UTF-8 document.
const utf8BOM = "\xEF\xBB\xBF"

// ParseXML parses XML received from outside into an etree document, refusing
// anything a SAML message has no use for and that has been used in attacks:
//
//   - input over lim.MaxBytes, nesting over lim.MaxDepth, more than
//     lim.MaxAttributes attributes on an element or more than lim.MaxElements
//     elements ([ErrLimit], as a *[LimitError]);
//   - DOCTYPE, ENTITY and every other directive ([ErrDoctype]);
//   - processing instructions other than a leading XML declaration, an
//     encoding other than UTF-8, names that do not survive an encoding/xml
//     round trip (empty or colon-bearing local names, empty prefixes),
//     misuse of the xml and xmlns prefixes, undeclared prefixes, duplicate
//     attributes (by name or by namespace URI), text outside the root, and
//     anything not well-formed ([ErrMalformed]).
//
// The input is tokenised once; the tree is built and every check enforced in
// the same pass, so an over-limit document is refused before it is built.
// Comments are kept in the tree; use [Text] to read text content. The
// returned document's WriteSettings escape CR, TAB and LF where needed so that
// writing it out and parsing it again yields the same tree.
//
// encoding/xml does not normalise whitespace in attribute values (XML 1.0
// §3.3.3), so a literal newline in an attribute reads as "\n" here where other
// parsers see a space. A signature made over such a value by another stack
// fails to verify (it does not pass wrongly).
func ParseXML(data []byte, lim Limits) (*etree.Document, error) {
	if err := lim.Validate(); err != nil {
		return nil, err
	}
	lim = lim.withDefaults()
	if len(data) > lim.MaxBytes {
		return nil, &LimitError{Limit: "MaxBytes", Max: lim.MaxBytes}
	}
	if len(data) >= len(utf8BOM) && string(data[:len(utf8BOM)]) == utf8BOM {
		data = data[len(utf8BOM):]
	}
	p := parser{lim: lim, doc: etree.NewDocument()}
	// Escape CR (and TAB/LF in attributes) on output, so writing the
	// document and parsing it again gives the same tree.
	p.doc.WriteSettings.CanonicalText = true
	p.doc.WriteSettings.CanonicalAttrVal = true
	p.dec = xml.NewDecoder(bytes.NewReader(data))
	p.dec.Strict = true
	p.dec.CharsetReader = refuseCharset
	if err := p.run(); err != nil {
		return nil, err
	}
	return p.doc, nil
}

func refuseCharset(charset string, _ io.Reader) (io.Reader, error) {
	return nil, fmt.Errorf("%w: encoding %q (only UTF-8 is accepted)", ErrMalformed, charset)
}

// nsBinding is one in-scope namespace declaration.
type nsBinding struct {
	prefix, uri string
}

// parser holds the state of one ParseXML call.
type parser struct {
	lim      Limits
	dec      *xml.Decoder
	doc      *etree.Document
	stack    []*etree.Element
	scopes   []int // len(ns) at each open element
	ns       []nsBinding
	elements int
	tokens   int
	sawRoot  bool
}

func (p *parser) run() error {
	for {
		tok, err := p.dec.RawToken()
		if err == io.EOF {
			break
		}
		if err != nil {
			return p.syntaxErr(err)
		}
		if err := p.token(tok); err != nil {
			return err
		}
		p.tokens++
	}
	if len(p.stack) != 0 {
		return p.malformed("unexpected end of input inside <%s>", p.stack[len(p.stack)-1].FullTag())
	}
	if !p.sawRoot {
		return p.malformed("no root element")
	}
	return nil
}

func (p *parser) token(tok xml.Token) error {
	switch t := tok.(type) {
	case xml.StartElement:
		return p.start(t)
	case xml.EndElement:
		return p.end(t)
	case xml.CharData:
		return p.charData(t)
	case xml.Comment:
		if len(p.stack) > 0 {
			p.stack[len(p.stack)-1].CreateComment(string(t))
		} else {
			p.doc.CreateComment(string(t))
		}
		return nil
	case xml.Directive:
		return fmt.Errorf("%w: <!%s> at byte %d", ErrDoctype, firstWord(t), p.dec.InputOffset())
	case xml.ProcInst:
		if t.Target != "xml" || p.tokens != 0 {
			return p.malformed("processing instruction <?%s?> not allowed", t.Target)
		}
		p.doc.CreateProcInst(t.Target, string(t.Inst))
		return nil
	}
	return p.malformed("unknown token %T", tok)
}

func (p *parser) start(t xml.StartElement) error {
	if p.sawRoot && len(p.stack) == 0 {
		return p.malformed("second root element <%s>", qname(t.Name))
	}
	if len(p.stack) >= p.lim.MaxDepth {
		return &LimitError{Limit: "MaxDepth", Max: p.lim.MaxDepth}
	}
	if p.elements >= p.lim.MaxElements {
		return &LimitError{Limit: "MaxElements", Max: p.lim.MaxElements}
	}
	if len(t.Attr) > p.lim.MaxAttributes {
		return &LimitError{Limit: "MaxAttributes", Max: p.lim.MaxAttributes}
	}
	p.elements++
	p.sawRoot = true
	if err := p.checkName(t.Name, false); err != nil {
		return err
	}
	p.scopes = append(p.scopes, len(p.ns))
	if err := p.declare(t.Attr); err != nil {
		return err
	}
	if t.Name.Space == "xmlns" {
		return p.malformed("element <%s> uses the reserved prefix xmlns", qname(t.Name))
	}
	if err := p.checkPrefix(t.Name); err != nil {
		return err
	}
	el := etree.NewElement(t.Name.Local)
	el.Space = t.Name.Space
	if err := p.attrs(el, t.Attr); err != nil {
		return err
	}
	if n := len(p.stack); n > 0 {
		p.stack[n-1].AddChild(el)
	} else {
		p.doc.AddChild(el)
	}
	p.stack = append(p.stack, el)
	return nil
}

// declare checks the namespace declarations among attrs and pushes them.
func (p *parser) declare(attrs []xml.Attr) error {
	for _, a := range attrs {
		var prefix string
		switch {
		case a.Name.Space == "xmlns":
			prefix = a.Name.Local
		case a.Name.Space == "" && a.Name.Local == "xmlns":
		default:
			continue
		}
		if err := checkBinding(prefix, a.Value); err != nil {
			return err
		}
		p.ns = append(p.ns, nsBinding{prefix: prefix, uri: a.Value})
	}
	return nil
}

// checkBinding enforces Namespaces in XML 1.0 §3 on one declaration.
func checkBinding(prefix, uri string) error {
	switch {
	case prefix == "xmlns":
		return fmt.Errorf("%w: the prefix xmlns must not be declared", ErrMalformed)
	case prefix == "xml" && uri != NSXML:
		return fmt.Errorf("%w: the prefix xml must be bound only to %s", ErrMalformed, NSXML)
	case prefix != "xml" && uri == NSXML:
		return fmt.Errorf("%w: %s may be bound only to the prefix xml", ErrMalformed, NSXML)
	case uri == NSXMLNS:
		return fmt.Errorf("%w: %s must not be declared", ErrMalformed, NSXMLNS)
	case prefix != "" && uri == "":
		return fmt.Errorf("%w: prefix %q undeclared with an empty URI (XML 1.1 only)", ErrMalformed, prefix)
	}
	return nil
}

// attrs checks each attribute's name, refuses duplicates by name and by
// expanded name, and copies the attributes onto el.
func (p *parser) attrs(el *etree.Element, attrs []xml.Attr) error {
	if len(attrs) == 0 {
		return nil
	}
	el.Attr = make([]etree.Attr, 0, len(attrs))
	for i, a := range attrs {
		if err := p.checkName(a.Name, true); err != nil {
			return err
		}
		isDecl := a.Name.Space == "xmlns" || (a.Name.Space == "" && a.Name.Local == "xmlns")
		if !isDecl && a.Name.Space != "" {
			if err := p.checkPrefix(a.Name); err != nil {
				return err
			}
		}
		for _, b := range attrs[:i] {
			if a.Name == b.Name || (!isDecl && a.Name.Space != "" && b.Name.Space != "" &&
				a.Name.Local == b.Name.Local && p.lookup(a.Name.Space) == p.lookup(b.Name.Space)) {
				return p.malformed("duplicate attribute %s", qname(a.Name))
			}
		}
		if a.Name.Space == "" {
			el.CreateAttr(a.Name.Local, a.Value)
		} else {
			el.CreateAttr(a.Name.Space+":"+a.Name.Local, a.Value)
		}
	}
	return nil
}

// checkName refuses names that encoding/xml would not reproduce on output:
// an empty local part, a colon left in the local part (from "<:a>", "<a:>"
// or "a::b"), or the xmlns prefix on anything but a declaration.
func (p *parser) checkName(n xml.Name, attr bool) error {
	if n.Local == "" || strings.IndexByte(n.Local, ':') >= 0 || strings.IndexByte(n.Space, ':') >= 0 {
		return p.malformed("name %q is not a valid QName", qname(n))
	}
	if !attr && n.Space == "" && n.Local == "xmlns" {
		return p.malformed("element name xmlns is reserved")
	}
	return nil
}

// checkPrefix refuses a prefixed name whose prefix is not in scope.
func (p *parser) checkPrefix(n xml.Name) error {
	if n.Space == "" || n.Space == "xml" {
		return nil
	}
	if _, ok := p.resolve(n.Space); !ok {
		return p.malformed("undeclared namespace prefix %q in %s", n.Space, qname(n))
	}
	return nil
}

func (p *parser) resolve(prefix string) (string, bool) {
	for i := len(p.ns) - 1; i >= 0; i-- {
		if p.ns[i].prefix == prefix {
			return p.ns[i].uri, true
		}
	}
	return "", false
}

func (p *parser) lookup(prefix string) string {
	if prefix == "xml" {
		return NSXML
	}
	uri, _ := p.resolve(prefix)
	return uri
}

func (p *parser) end(t xml.EndElement) error {
	n := len(p.stack)
	if n == 0 {
		return p.malformed("unexpected end element </%s>", qname(t.Name))
	}
	top := p.stack[n-1]
	if top.Tag != t.Name.Local || top.Space != t.Name.Space {
		return p.malformed("element <%s> closed by </%s>", top.FullTag(), qname(t.Name))
	}
	p.stack = p.stack[:n-1]
	p.ns = p.ns[:p.scopes[n-1]]
	p.scopes = p.scopes[:n-1]
	return nil
}

func (p *parser) charData(t xml.CharData) error {
	n := len(p.stack)
	if n == 0 {
		if !isSpace(t) {
			return p.malformed("text outside the root element")
		}
		p.doc.CreateText("").SetData(string(t))
		return nil
	}
	c := p.stack[n-1].CreateText("")
	c.SetData(string(t))
	return nil
}

func (p *parser) malformed(format string, args ...any) error {
	return fmt.Errorf("%w: %s at byte %d", ErrMalformed, fmt.Sprintf(format, args...), p.dec.InputOffset())
}

func (p *parser) syntaxErr(err error) error {
	if errors.Is(err, ErrMalformed) {
		return err
	}
	return fmt.Errorf("%w: %w", ErrMalformed, err)
}

func qname(n xml.Name) string {
	if n.Space == "" {
		return n.Local
	}
	return n.Space + ":" + n.Local
}

func firstWord(d xml.Directive) string {
	s := strings.TrimSpace(string(d))
	if i := strings.IndexAny(s, " \t\r\n"); i >= 0 {
		s = s[:i]
	}
	if len(s) > 20 {
		s = s[:20]
	}
	return s
}

func isSpace(b []byte) bool {
	for _, c := range b {
		if c != ' ' && c != '\t' && c != '\n' && c != '\r' {
			return false
		}
	}
	return true
}

// parseBytes parses outside XML with ParseXML under lim and reads its root
// with parse: the one path every ParseXxxBytes function takes.
func parseBytes[T any](data []byte, lim Limits, parse func(*etree.Element) (*T, error)) (*T, error) {
	doc, err := ParseXML(data, lim)
	if err != nil {
		return nil, err
	}
	return parse(doc.Root())
}
