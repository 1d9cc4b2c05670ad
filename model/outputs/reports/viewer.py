"""An interactive view of a run's hourly results inside the report: a small canvas viewer, its
code and data inlined in the page, so it works offline and makes no request.

Views: the dispatch stack (generation by technology, storage, imports), export by line, bus prices, storage state
of charge. Drag to pan, wheel or the buttons to zoom, a click on a legend entry hides a series.
A year is 8,760 points a series, small enough to inline whole; longer runs are averaged to at
most MAX_POINTS points a series so the page stays light.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from ...plotting import style
from ...plotting.run_charts import (
    LAYER_COLORS,
    LINE_NAMES,
    SERIES_COLORS,
    SUPPLY,
    hourly_sum,
    pick,
    text,
    units_of,
)
from .. import quantities
from . import names

MAX_POINTS = 8784
SOC = {"Battery-soc": "battery", "PumpedHydro-soc": "pumped_hydro"}
WORDS = {
    "dispatch": ("电力平衡：供电（万千瓦）", "Supply by source (GW)"),
    "export": ("分通道外送（万千瓦）", "Export by line (GW)"),
    "price": ("节点电价（元/兆瓦时）", "Bus price (CNY/MWh)"),
    "storage": ("储能电量（万千瓦时）", "Stored energy (GWh)"),
    "title": (
        "逐时结果（拖动平移，滚轮或按钮缩放，点击图例隐藏）",
        "Hourly results (drag to pan, wheel or buttons to zoom, click a legend entry to hide it)",
    ),
    "all": ("全年", "All"),
    "in": ("放大", "Zoom in"),
    "out": ("缩小", "Zoom out"),
}


def _series(hourly: pd.DataFrame, lang: str) -> dict:
    views = {}
    stack = [
        (
            text(key, lang),
            LAYER_COLORS.get(key, style.COLORS.get(key)),
            quantities.value("power", hourly_sum(hourly, *prefixes), lang),
        )
        for key, prefixes in SUPPLY
    ]
    views["dispatch"] = {"stack": True, "series": [s for s in stack if s[2].max() > 0]}
    views["export"] = {
        "stack": True,
        "series": [
            (
                pick(LINE_NAMES.get(line, (line, line)), lang),
                SERIES_COLORS[i % len(SERIES_COLORS)],
                quantities.value("power", hourly[f"Line-flow[{line}]"], lang),
            )
            for i, line in enumerate(units_of(hourly, "Line-flow"))
        ],
    }
    views["price"] = {
        "stack": False,
        "series": [
            (names.bus(bus, lang), SERIES_COLORS[i % len(SERIES_COLORS)], hourly[f"Bus-price[{bus}]"])
            for i, bus in enumerate(units_of(hourly, "Bus-price"))
        ],
    }
    unit_names = names.unit_names(hourly.columns, lang)
    soc = [
        (
            unit_names[unit],
            style.COLORS[tech],
            quantities.value("energy_small", hourly[f"{prefix}[{unit}]"], lang),
        )
        for prefix, tech in SOC.items()
        for unit in units_of(hourly, prefix)
    ]
    if soc:
        views["storage"] = {"stack": False, "series": soc}
    return views


def data(hourly: pd.DataFrame, lang: str) -> dict:
    step = max(1, int(np.ceil(len(hourly) / MAX_POINTS)))
    start = pd.Timestamp(hourly["timestamp"].iloc[0])
    out = {"start": start.strftime("%Y-%m-%dT%H:%M"), "step_h": step, "lang": lang, "views": []}
    for key, view in _series(hourly, lang).items():
        series = []
        for name, color, values in view["series"]:
            v = np.asarray(values, dtype=float)
            v = v[: len(v) // step * step].reshape(-1, step).mean(axis=1) if step > 1 else v
            series.append({"name": name, "color": color, "values": [round(float(x), 2) for x in v]})
        if series:
            out["views"].append(
                {"key": key, "label": pick(WORDS[key], lang), "stack": view["stack"], "series": series}
            )
    return out


def html(hourly: pd.DataFrame, lang: str) -> str:
    payload = json.dumps(data(hourly, lang), ensure_ascii=False, separators=(",", ":"))
    payload = payload.replace("</", "<\\/")  # a name holding </script> must not end the block
    words = {k: pick(WORDS[k], lang) for k in ("title", "all", "in", "out")}
    return (
        f'<section id="viewer"><h2>{words["title"]}</h2><div class="vbar"><select id="vsel"></select>'
        f'<button id="vin">{words["in"]}</button><button id="vout">{words["out"]}</button>'
        f'<button id="vall">{words["all"]}</button><span id="vinfo"></span></div>'
        f'<canvas id="vcanvas" width="1060" height="380"></canvas><div id="vlegend"></div>'
        f'<script id="vdata" type="application/json">{payload}</script>'
        f"<script>{SCRIPT}</script></section>"
    )


SCRIPT = r"""
(function(){
const D=JSON.parse(document.getElementById('vdata').textContent);
const cv=document.getElementById('vcanvas'),cx=cv.getContext('2d');
const sel=document.getElementById('vsel'),info=document.getElementById('vinfo');
const legend=document.getElementById('vlegend');
const t0=Date.parse(D.start+':00Z'),H=3600e3*D.step_h;
let view=D.views[0],hidden={},lo=0,hi=0;
D.views.forEach((v,i)=>{const o=document.createElement('option');o.value=i;o.textContent=v.label;sel.appendChild(o);});
function n(){return view.series[0].values.length;}
function reset(){lo=0;hi=n();}
function fmtDate(i){const d=new Date(t0+i*H);const m=d.getUTCMonth()+1,day=d.getUTCDate(),h=d.getUTCHours();
 return D.lang==='zh'?`${m}月${day}日${h}时`:`${d.toISOString().slice(0,10)} ${String(h).padStart(2,'0')}:00`;}
function fmtNum(x){return x.toLocaleString(D.lang==='zh'?'zh-CN':'en',{maximumFractionDigits:2});}
function draw(){
 const W=cv.width,Hh=cv.height,L=70,R=10,T=10,B=30,w=W-L-R,h=Hh-T-B;
 cx.clearRect(0,0,W,Hh);cx.font="12px 'Report CJK',sans-serif";
 const shown=view.series.filter(s=>!hidden[s.name]);
 const a=Math.max(0,Math.floor(lo)),b=Math.min(n(),Math.ceil(hi));
 let base=new Float64Array(b-a),tops=[],ymin=0,ymax=0;
 shown.forEach(s=>{const top=new Float64Array(b-a);
  for(let i=a;i<b;i++){const v=s.values[i];top[i-a]=view.stack?base[i-a]+v:v;}
  tops.push([s,view.stack?base:null,top]);if(view.stack)base=top;
  for(const v of top){if(v>ymax)ymax=v;if(v<ymin)ymin=v;}});
 if(ymax===ymin)ymax=ymin+1;
 const raw=(ymax-ymin)/4,mag=Math.pow(10,Math.floor(Math.log10(raw)));
 const step=[1,2,5,10].map(k=>k*mag).find(s=>s>=raw);
 ymin=Math.floor(ymin/step)*step;ymax=Math.ceil(ymax/step)*step;
 const X=i=>L+(i-lo)/(hi-lo)*w,Y=v=>T+h-(v-ymin)/(ymax-ymin)*h;
 cx.strokeStyle='#ddd';cx.fillStyle='#444';cx.textAlign='right';
 for(let v=ymin;v<=ymax+step/2;v+=step){cx.beginPath();cx.moveTo(L,Y(v));cx.lineTo(L+w,Y(v));cx.stroke();
  cx.fillText(fmtNum(v),L-6,Y(v)+4);}
 cx.textAlign='center';
 for(let k=0;k<=5;k++){const i=lo+(hi-lo)*k/5;cx.fillText(fmtDate(Math.round(i)),L+w*k/5,Hh-10);}
 const every=Math.max(1,Math.floor((b-a)/(2*w)));
 tops.forEach(([s,bot,top])=>{cx.beginPath();
  for(let i=0;i<top.length;i+=every){const x=X(a+i);i?cx.lineTo(x,Y(top[i])):cx.moveTo(x,Y(top[i]));}
  if(bot){for(let i=top.length-1;i>=0;i-=every)cx.lineTo(X(a+i),Y(bot[i]));cx.closePath();
   cx.fillStyle=s.color;cx.globalAlpha=.85;cx.fill();cx.globalAlpha=1;}
  else{cx.strokeStyle=s.color;cx.lineWidth=1.2;cx.stroke();}});
 info.textContent=' '+fmtDate(a)+' – '+fmtDate(Math.max(a,b-1));
}
function buildLegend(){legend.textContent='';view.series.forEach(s=>{const e=document.createElement('span');
 e.className='vkey';e.style.opacity=hidden[s.name]?.35:1;e.innerHTML='<i style="background:'+s.color+'"></i>';
 e.appendChild(document.createTextNode(s.name));e.onclick=()=>{hidden[s.name]=!hidden[s.name];buildLegend();draw();};
 legend.appendChild(e);});}
function zoom(f,c){const m=c===undefined?(lo+hi)/2:c,span=Math.min(n(),Math.max(24/D.step_h,(hi-lo)*f));
 lo=Math.max(0,Math.min(n()-span,m-(m-lo)*span/(hi-lo)));hi=lo+span;draw();}
sel.onchange=()=>{view=D.views[+sel.value];hidden={};reset();buildLegend();draw();};
document.getElementById('vin').onclick=()=>zoom(.5);document.getElementById('vout').onclick=()=>zoom(2);
document.getElementById('vall').onclick=()=>{reset();draw();};
cv.addEventListener('wheel',e=>{e.preventDefault();const r=cv.getBoundingClientRect();
 const c=lo+(e.clientX-r.left-70)/(r.width-80)*(hi-lo);zoom(e.deltaY<0?.7:1/.7,c);},{passive:false});
let drag=null;cv.onmousedown=e=>{drag=[e.clientX,lo,hi];};window.addEventListener('mouseup',()=>{drag=null;});
cv.onmousemove=e=>{if(!drag)return;const d=(e.clientX-drag[0])/cv.getBoundingClientRect().width*(drag[2]-drag[1]);
 const span=drag[2]-drag[1];lo=Math.max(0,Math.min(n()-span,drag[1]-d));hi=lo+span;draw();};
reset();buildLegend();draw();
if(document.fonts)document.fonts.load("12px 'Report CJK'").then(draw);
window.hexiViewer={views:D.views.map(v=>v.key),zoom:zoom,select:i=>{sel.value=i;sel.onchange();},range:()=>[lo,hi]};
})();
"""

CSS = """.vbar{margin:.4em 0}.vbar button,.vbar select{margin-right:.4em;font:inherit}
#vcanvas{width:100%;border:1px solid #ddd;cursor:grab}
#vlegend .vkey{display:inline-block;margin-right:1em;cursor:pointer}#vlegend i{display:inline-block;
width:.9em;height:.9em;margin-right:.3em;vertical-align:middle}"""
