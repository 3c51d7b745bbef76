package officegen

import (
	"strings"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// GovHTML is a page saved from a Chinese government site: a header with a
// nav menu, a 当前位置 breadcrumb, an article with 发布时间, a table of
// figures, 【打印】【关闭】 and 分享到 widgets, scripts holding Chinese text, a
// footer. charset names the page's declared encoding ("utf-8", "gbk"); the
// body paragraphs are repeated n times (n ≥ 1) to make larger pages.
func GovHTML(charset string, n int) string {
	var body strings.Builder
	for i := 0; i < max(n, 1); i++ {
		body.WriteString(govArticle)
	}
	return strings.NewReplacer("{{charset}}", charset, "{{article}}", body.String()).Replace(govPage)
}

// GBK encodes a page in GBK.
func GBK(s string) []byte {
	b, err := simplifiedchinese.GBK.NewEncoder().String(s)
	if err != nil {
		panic(err)
	}
	return []byte(b)
}

const govPage = `<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta http-equiv="Content-Type" content="text/html; charset={{charset}}" />
<title>青川县2024年春季农业生产工作要点_政策文件_青川县人民政府</title>
<meta name="SiteName" content="青川县人民政府">
<meta name="ColumnName" content="政策文件">
<meta name="ArticleTitle" content="青川县2024年春季农业生产工作要点">
<meta name="PubDate" content="2024-03-21 09:15">
<meta name="ContentSource" content="青川县农业农村局">
<link rel="stylesheet" type="text/css" href="/css/style.css" />
<style type="text/css">
.nav li { float:left; } /* 导航样式：不应出现在正文 */
body { font-family: "微软雅黑"; }
</style>
<script type="text/javascript">
var _hmt = _hmt || [];
document.write("脚本中的中文不应出现在正文里");
function addFav(){ alert("收藏本站失败，请按Ctrl+D手动收藏"); }
</script>
</head>
<body>
<div class="top">
  <div class="top-link"><a href="/">网站首页</a> | <a href="javascript:addFav()">加入收藏</a> | <a href="/wza">无障碍浏览</a></div>
  <div class="logo"><img src="/images/logo.png" alt="青川县人民政府" /></div>
  <div class="search"><form action="/search"><input type="text" name="q" value="请输入关键字"/><input type="submit" value="搜索"/></form></div>
</div>
<div class="nav" id="nav">
  <ul>
    <li><a href="/">首页</a></li>
    <li><a href="/zwgk/">政务公开</a></li>
    <li><a href="/zwfw/">政务服务</a></li>
    <li><a href="/hdjl/">互动交流</a></li>
    <li><a href="/zjqc/">走进青川</a></li>
  </ul>
</div>
<div class="main">
  <div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; <a href="/zwgk/zcwj/">政策文件</a></div>
  <div class="left-menu">
    <h3>政务公开</h3>
    <ul><li><a href="/a">政府信息公开指南</a></li><li><a href="/b">政府信息公开制度</a></li><li><a href="/c">法定主动公开内容</a></li></ul>
  </div>
  <div class="article">
    <h1 class="title">青川县2024年春季农业生产工作要点</h1>
    <div class="info">发布时间：2024-03-21 09:15&nbsp;&nbsp;来源：青川县农业农村局&nbsp;&nbsp;浏览次数：<script>document.write(Math.floor(Math.random()*1000));</script>
      【字体：<a href="javascript:doZoom(16)">大</a> <a href="javascript:doZoom(14)">中</a> <a href="javascript:doZoom(12)">小</a>】</div>
    <div class="content" id="zoom">
{{article}}
      <table border="1" cellspacing="0">
        <tr><td>指标</td><td>2023年</td><td>2024年目标</td></tr>
        <tr><td>春播粮食面积</td><td>28.6万亩</td><td>29.1万亩</td></tr>
        <tr><td>2023年粮食产量</td><td>58.6万吨</td><td>59.0万吨</td></tr>
      </table>
      <p style="text-align:right">青川县农业农村局<br/>2024年3月20日</p>
    </div>
    <div class="share">
      <div class="bdsharebuttonbox"><span>分享到：</span><a href="#" class="bds_weixin" title="分享到微信">微信</a><a href="#" class="bds_tsina" title="分享到新浪微博">微博</a></div>
      <script>window._bd_share_config={"common":{"bdText":"分享脚本文字不应出现"}};</script>
    </div>
    <div class="print">【<a href="javascript:window.print()">打印</a>】【<a href="javascript:window.close()">关闭</a>】</div>
  </div>
</div>
<div class="footer">
  <p>主办单位：青川县人民政府办公室 &nbsp; 承办单位：青川县大数据中心</p>
  <p>网站标识码：5108220001 &nbsp; 蜀ICP备05012345号 &nbsp; 川公网安备 51082202000123号</p>
  <p>版权所有：青川县人民政府 &nbsp; 联系电话：0839-7202345</p>
</div>
<script type="text/javascript" src="/js/jquery.min.js"></script>
<noscript>您的浏览器不支持脚本</noscript>
</body>
</html>
`

const govArticle = `      <p>为切实抓好2024年春季农业生产，确保粮食和重要农产品稳定安全供给，现提出如下工作要点。</p>
      <p><strong>一、稳定粮食播种面积</strong></p>
      <p>全县春播粮食面积稳定在29.1万亩以上，其中马铃薯6.2万亩、玉米18.4万亩，确保面积只增不减。</p>
      <p><strong>二、抓好春耕物资供应</strong></p>
      <p>（一）保障农资供应。组织农资企业储备化肥1.8万吨、种子420吨，严厉打击假冒伪劣农资。</p>
      <p>（二）强化农机作业。投入各类农机具3600台套，春耕机耕率达到75%以上。</p>
      <p><strong>三、强化防灾减灾</strong></p>
      <p>密切关注天气变化，及时发布预警信息，做好倒春寒、干旱等灾害防范应对。</p>
`
