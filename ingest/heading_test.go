package ingest

import (
	"strings"
	"testing"
)

func TestHeadingMarker(t *testing.T) {
	tests := []struct {
		name      string
		in        string
		wantLevel int
		wantLen   int
	}{
		{"一、 opens a chapter", "一、总体要求", levelChapter, 2},
		{"a two-digit chapter number 十二、 opens a chapter", "十二、附则", levelChapter, 3},
		{"(一) opens a section", "(一)基本原则", levelSection, 3},
		{"（一） in full-width parentheses opens a section", "（一）基本原则", levelSection, 3},
		{"（十一） opens a section", "（十一）加强组织领导", levelSection, 4},
		{"1. opens an item", "1.加快产业转型", levelItem, 2},
		{"1、 opens an item", "1、加快产业转型", levelItem, 2},
		{"full-width １． opens an item", "１．加快产业转型", levelItem, 2},
		{"12. opens an item", "12.加快产业转型", levelItem, 3},
		{"(1) opens a sub-item", "(1)完善基础设施", levelSubItem, 3},
		{"（1） in full-width parentheses opens a sub-item", "（1）完善基础设施", levelSubItem, 3},
		{"一是 opens a point", "一是加强组织领导", levelPoint, 2},
		{"—— opens a point", "——坚持创新驱动", levelPoint, 2},
		{"a year is not a heading", "2018年全市生产总值完成641.8亿元", levelNone, 0},
		{"a decimal percentage is not a heading", "8.5%的增速高于全省", levelNone, 0},
		{"a version-like number is not a heading", "10.5亿元用于建设", levelNone, 0},
		{"the word 一般 is not a heading", "一般公共预算收入增长8%", levelNone, 0},
		{"the plan name 十四五 is not a heading", "十四五规划开局良好", levelNone, 0},
		{"一是否 is a question, not a point", "一是否符合条件", levelNone, 0},
		{"a parenthesised year is not a section", "(2019年8月31日)", levelNone, 0},
		{"an empty line is not a heading", "", levelNone, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			lvl, n := headingMarker([]rune(tc.in))
			if lvl != tc.wantLevel || n != tc.wantLen {
				t.Errorf("headingMarker(%q): got level %d length %d, want level %d length %d", tc.in, lvl, n, tc.wantLevel, tc.wantLen)
			}
			if got := headingLevel([]rune(tc.in)); got != tc.wantLevel {
				t.Errorf("headingLevel(%q): got %d, want %d", tc.in, got, tc.wantLevel)
			}
		})
	}
}

func TestHeadingTitle(t *testing.T) {
	longItem := "一、充分认识重大意义。推进济源国家产城融合示范区建设，是主动适应经济发展新常态、推动产业结构调整、促进区域协同协调发展的重要举措。"
	noLead := "（二）" + strings.Repeat("推进产城融合发展", 8) + "。"
	tests := []struct {
		name      string
		in        string
		wantTitle string
		wantLevel int
		wantOK    bool
	}{
		{"a short heading line is its own title", "一、总体要求", "一、总体要求", levelChapter, true},
		{"a short heading loses its closing full stop", "（一）基本原则。", "（一）基本原则", levelSection, true},
		{"a heading ending in a colon loses the colon", "1.主要任务：", "1.主要任务", levelItem, true},
		{"a long item is named by its lead sentence", longItem, "一、充分认识重大意义", levelChapter, true},
		{"a point is named by its lead sentence", "一是加强组织领导。各级党委和政府要把示范区建设摆在突出位置，建立健全工作机制，形成推进合力。", "一是加强组织领导", levelPoint, true},
		{"a long item with no short lead is named by its first words", noLead, string([]rune(noLead)[:24]) + "…", levelSection, true},
		{"plain text is no heading", "今年以来，全市经济运行总体平稳。", "", levelNone, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			title, lvl, ok := headingTitle(tc.in)
			if title != tc.wantTitle || lvl != tc.wantLevel || ok != tc.wantOK {
				t.Errorf("headingTitle(%q): got (%q, %d, %v), want (%q, %d, %v)", tc.in, title, lvl, ok, tc.wantTitle, tc.wantLevel, tc.wantOK)
			}
		})
	}
}
