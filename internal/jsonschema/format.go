package jsonschema

// The checks below accept exactly what kin-openapi's default format
// regular expressions accept (FormatOfStringDate, FormatOfStringDateTime,
// FormatOfStringByte); format_test.go compares them.

func digits(b []byte) bool {
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// isDate: [0-9]{4}-(0[1-9]|10|11|12)-(0[1-9]|[12][0-9]|3[01])
func isDate(b []byte) bool {
	return len(b) == 10 && datePart(b)
}

func datePart(b []byte) bool {
	if !digits(b[0:4]) || b[4] != '-' || b[7] != '-' || !digits(b[5:7]) || !digits(b[8:10]) {
		return false
	}
	m := int(b[5]-'0')*10 + int(b[6]-'0')
	d := int(b[8]-'0')*10 + int(b[9]-'0')
	return m >= 1 && m <= 12 && d >= 1 && d <= 31
}

// isDateTime: date T([0-1][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\.[0-9]+)?(Z|(\+|-)[0-9]{2}:[0-9]{2})
func isDateTime(b []byte) bool {
	if len(b) < 20 || !datePart(b[:10]) || b[10] != 'T' {
		return false
	}
	t := b[11:]
	if !digits(t[0:2]) || t[2] != ':' || !digits(t[3:5]) || t[5] != ':' || !digits(t[6:8]) {
		return false
	}
	h := int(t[0]-'0')*10 + int(t[1]-'0')
	mi := int(t[3]-'0')*10 + int(t[4]-'0')
	s := int(t[6]-'0')*10 + int(t[7]-'0')
	if h > 23 || mi > 59 || s > 60 {
		return false
	}
	rest := t[8:]
	if len(rest) > 0 && rest[0] == '.' {
		i := 1
		for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
			i++
		}
		if i == 1 {
			return false
		}
		rest = rest[i:]
	}
	switch {
	case len(rest) == 1:
		return rest[0] == 'Z'
	case len(rest) == 6:
		return (rest[0] == '+' || rest[0] == '-') && digits(rest[1:3]) && rest[3] == ':' && digits(rest[4:6])
	}
	return false
}

// isByte: (^$|^[a-zA-Z0-9+/\-_]*=*$)
func isByte(b []byte) bool {
	i := 0
	for i < len(b) {
		c := b[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '+' || c == '/' || c == '-' || c == '_' {
			i++
			continue
		}
		break
	}
	for i < len(b) && b[i] == '=' {
		i++
	}
	return i == len(b)
}
