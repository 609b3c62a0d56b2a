// Package nationwide generates Vietnam's directory as it stands since 1 July 2025, for tests and
// benchmarks: the 34 provinces as roots (a province is what a tenant will be), 3,321 communes and
// wards below them, and in each the units of six organisations, plus each province's own six
// bodies — about 20,000 units. Names, ids and codes are deterministic: the same call gives the
// same directory, so benchmarks compare like with like.
//
// The province names are the 34 of Resolution 202/2025/QH15; the communes' names and every code
// are made up (codes start with "G" so none passes for an official one). It reads and writes
// nothing and knows only flows.
package nationwide

import (
	"fmt"

	"danvan/flows"
)

// Provinces and Communes are the counts of provincial- and commune-level units since 1 July 2025.
const (
	Provinces = 34
	Communes  = 3321
)

// provinceNames are the 34 provinces and centrally-run cities of 2025.
var provinceNames = [Provinces]string{
	"Thành phố Hà Nội", "Thành phố Huế", "Tỉnh Lai Châu", "Tỉnh Điện Biên", "Tỉnh Sơn La",
	"Tỉnh Lạng Sơn", "Tỉnh Quảng Ninh", "Tỉnh Thanh Hóa", "Tỉnh Nghệ An", "Tỉnh Hà Tĩnh",
	"Tỉnh Cao Bằng", "Tỉnh Tuyên Quang", "Tỉnh Lào Cai", "Tỉnh Thái Nguyên", "Tỉnh Phú Thọ",
	"Tỉnh Bắc Ninh", "Tỉnh Hưng Yên", "Thành phố Hải Phòng", "Tỉnh Ninh Bình", "Tỉnh Quảng Trị",
	"Thành phố Đà Nẵng", "Tỉnh Quảng Ngãi", "Tỉnh Gia Lai", "Tỉnh Khánh Hòa", "Tỉnh Lâm Đồng",
	"Tỉnh Đắk Lắk", "Thành phố Hồ Chí Minh", "Tỉnh Đồng Nai", "Tỉnh Tây Ninh", "Thành phố Cần Thơ",
	"Tỉnh Vĩnh Long", "Tỉnh Đồng Tháp", "Tỉnh Cà Mau", "Tỉnh An Giang",
}

// syllables make the communes' names: common words of Vietnamese place names.
var syllables = []string{
	"An", "Bình", "Phú", "Tân", "Hòa", "Thành", "Long", "Phong", "Đông", "Tây", "Nam", "Bắc",
	"Mường", "Nậm", "Sơn", "Hưng", "Thịnh", "Quang", "Minh", "Đức", "Hồng", "Kim", "Lộc", "Phước",
}

// ProvinceID is the id of province p (0 ≤ p < Provinces): "p01".
func ProvinceID(p int) string { return fmt.Sprintf("p%02d", p+1) }

// CommuneID is the id of the c-th commune of province p: "p01-x001".
func CommuneID(p, c int) string { return fmt.Sprintf("%s-x%03d", ProvinceID(p), c+1) }

// CommunesOf is how many communes and wards province p has: 3,321 shared as evenly as can be.
func CommunesOf(p int) int {
	n := Communes / Provinces
	if p < Communes%Provinces {
		n++
	}
	return n
}

// Nodes returns the directory's entries: each province, its own units, then each commune or
// ward (every tenth a ward) with one unit of each of orgs.
func Nodes(orgs []flows.Org) []flows.Node {
	out := make([]flows.Node, 0, Provinces*(1+len(orgs))+Communes*(1+len(orgs)))
	serial := 0
	for p := range Provinces {
		pid, pname := ProvinceID(p), provinceNames[p]
		out = append(out, flows.Node{ID: pid, Code: fmt.Sprintf("G%02d", p+1), Name: flows.Text{Vi: pname}})
		out = appendUnits(out, orgs, pid, pname)
		for c := range CommunesOf(p) {
			serial++
			kind := "Xã"
			if c%10 == 0 {
				kind = "Phường"
			}
			name := fmt.Sprintf("%s %s %s %d", kind, syllables[serial%len(syllables)], syllables[(serial/len(syllables))%len(syllables)], c+1)
			cid := CommuneID(p, c)
			out = append(out, flows.Node{ID: cid, Parent: pid, Code: fmt.Sprintf("G%05d", serial), Name: flows.Text{Vi: name}})
			out = appendUnits(out, orgs, cid, name)
		}
	}
	return out
}

func appendUnits(out []flows.Node, orgs []flows.Org, place, name string) []flows.Node {
	for _, o := range orgs {
		out = append(out, flows.Node{ID: place + "-" + o.ID, Parent: place, Org: o.ID, Name: flows.Text{Vi: o.Short.Vi + " " + name}})
	}
	return out
}

// Directory builds the nationwide directory with orgs.
func Directory(orgs []flows.Org) (*flows.Directory, error) {
	d, err := flows.NewDirectory(orgs, Nodes(orgs))
	if err != nil {
		return nil, fmt.Errorf("nationwide directory: %w", err)
	}
	return d, nil
}

// YAML writes the entries as a config file's units section, the way an admin's file would hold
// them: for measuring what loading the directory at start costs.
func YAML(orgs []flows.Org) []byte {
	var b []byte
	b = append(b, "units:\n"...)
	for _, n := range Nodes(orgs) {
		b = fmt.Appendf(b, "  - {id: %s, name: {vi: %q}", n.ID, n.Name.Vi)
		if n.Parent != "" {
			b = fmt.Appendf(b, ", parent: %s", n.Parent)
		}
		if n.Org != "" {
			b = fmt.Appendf(b, ", org: %s", n.Org)
		}
		if n.Code != "" {
			b = fmt.Appendf(b, ", code: %q", n.Code)
		}
		b = append(b, "}\n"...)
	}
	return b
}
