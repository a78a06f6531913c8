"""The country table behind :mod:`chronicle.datasets.countries`, one line a span of a stream.

Each line: ``stream|first|last|COW number|Gleditsch-Ward number|ISO 3166 alpha-3|name``.
``first`` and ``last`` bound the days the line holds for (empty: open); a stream has
several lines only where its code or its state changed. The COW numbers are those
the REIGN leader list gives each abbreviation; the Gleditsch-Ward numbers differ
from them for united Germany (260), Yemen (678), Serbia from 2006 (340) and four
Pacific microstates (Kiribati 970, Nauru 971, Tonga 972, Tuvalu 973).
"""

TABLE = """\
USA|||2|2|USA|United States of America
CAN|||20|20|CAN|Canada
BHM|||31|31|BHS|Bahamas
CUB|||40|40|CUB|Cuba
HAI|||41|41|HTI|Haiti
DOM|||42|42|DOM|Dominican Republic
JAM|||51|51|JAM|Jamaica
TRI|||52|52|TTO|Trinidad and Tobago
BAR|||53|53|BRB|Barbados
DMA|||54|54|DMA|Dominica
GRN|||55|55|GRD|Grenada
SLU|||56|56|LCA|Saint Lucia
SVG|||57|57|VCT|Saint Vincent and the Grenadines
AAB|||58|58|ATG|Antigua and Barbuda
SKN|||60|60|KNA|Saint Kitts and Nevis
MEX|||70|70|MEX|Mexico
BLZ|||80|80|BLZ|Belize
GUA|||90|90|GTM|Guatemala
HON|||91|91|HND|Honduras
SAL|||92|92|SLV|El Salvador
NIC|||93|93|NIC|Nicaragua
COS|||94|94|CRI|Costa Rica
PAN|||95|95|PAN|Panama
COL|||100|100|COL|Colombia
VEN|||101|101|VEN|Venezuela
GUY|||110|110|GUY|Guyana
SUR|||115|115|SUR|Suriname
ECU|||130|130|ECU|Ecuador
PER|||135|135|PER|Peru
BRA|||140|140|BRA|Brazil
BOL|||145|145|BOL|Bolivia
PAR|||150|150|PRY|Paraguay
CHL|||155|155|CHL|Chile
ARG|||160|160|ARG|Argentina
URU|||165|165|URY|Uruguay
UKG|||200|200|GBR|United Kingdom
IRE|||205|205|IRL|Ireland
NTH|||210|210|NLD|Netherlands
BEL|||211|211|BEL|Belgium
LUX|||212|212|LUX|Luxembourg
FRN|||220|220|FRA|France
MNC|||221|221|MCO|Monaco
LIE|||223|223|LIE|Liechtenstein
SWZ|||225|225|CHE|Switzerland
SPN|||230|230|ESP|Spain
AND|||232|232|AND|Andorra
POR|||235|235|PRT|Portugal
GMY|1990-10-03||255|260|DEU|Germany
GFR||1990-10-02|260|260|DEU|West Germany
GMY|1982-10-01|1990-10-02|260|260|DEU|West Germany
GDR||1990-10-02|265|265|DDR|East Germany
POL|||290|290|POL|Poland
AUS|||305|305|AUT|Austria
HUN|||310|310|HUN|Hungary
CZE||1992-12-31|315|315|CSK|Czechoslovakia
CZR|1993-01-01||316|316|CZE|Czech Republic
SLO|1993-01-01||317|317|SVK|Slovakia
ITA|||325|325|ITA|Italy
SNM|||331|331|SMR|San Marino
MLT|||338|338|MLT|Malta
ALB|||339|339|ALB|Albania
MNG|||341|341|MNE|Montenegro
MAC|||343|343|MKD|North Macedonia
CRO|||344|344|HRV|Croatia
YUG||2003-02-03|345|345|YUG|Yugoslavia
YUG|2003-02-04|2006-06-04|345|345|SCG|Serbia and Montenegro
YUG|2006-06-05||345|340|SRB|Serbia
BOS|||346|346|BIH|Bosnia and Herzegovina
KOS|||347|347||Kosovo
SLV|||349|349|SVN|Slovenia
GRC|||350|350|GRC|Greece
CYP|||352|352|CYP|Cyprus
BUL|||355|355|BGR|Bulgaria
MLD|||359|359|MDA|Moldova
ROM|||360|360|ROU|Romania
RUS||1991-12-25|365|365|SUN|Soviet Union
RUS|1991-12-26||365|365|RUS|Russia
EST|||366|366|EST|Estonia
LAT|||367|367|LVA|Latvia
LIT|||368|368|LTU|Lithuania
UKR|||369|369|UKR|Ukraine
BLR|||370|370|BLR|Belarus
ARM|||371|371|ARM|Armenia
GRG|||372|372|GEO|Georgia
AZE|||373|373|AZE|Azerbaijan
FIN|||375|375|FIN|Finland
SWD|||380|380|SWE|Sweden
NOR|||385|385|NOR|Norway
DEN|||390|390|DNK|Denmark
ICE|||395|395|ISL|Iceland
CAP|||402|402|CPV|Cape Verde
STP|||403|403|STP|Sao Tome and Principe
GNB|||404|404|GNB|Guinea-Bissau
EQG|||411|411|GNQ|Equatorial Guinea
GAM|||420|420|GMB|Gambia
MLI|||432|432|MLI|Mali
SEN|||433|433|SEN|Senegal
BEN|||434|434|BEN|Benin
MAA|||435|435|MRT|Mauritania
NIR|||436|436|NER|Niger
CDI|||437|437|CIV|Côte d'Ivoire
GUI|||438|438|GIN|Guinea
BFO|||439|439|BFA|Burkina Faso
LBR|||450|450|LBR|Liberia
SIE|||451|451|SLE|Sierra Leone
GHA|||452|452|GHA|Ghana
TOG|||461|461|TGO|Togo
CAO|||471|471|CMR|Cameroon
NIG|||475|475|NGA|Nigeria
GAB|||481|481|GAB|Gabon
CEN|||482|482|CAF|Central African Republic
CHA|||483|483|TCD|Chad
CON|||484|484|COG|Congo
DRC|||490|490|COD|Democratic Republic of the Congo
UGA|||500|500|UGA|Uganda
KEN|||501|501|KEN|Kenya
TAZ|||510|510|TZA|Tanzania
BUI|||516|516|BDI|Burundi
RWA|||517|517|RWA|Rwanda
SOM|||520|520|SOM|Somalia
DJI|||522|522|DJI|Djibouti
ETH|||530|530|ETH|Ethiopia
ERI|||531|531|ERI|Eritrea
ANG|||540|540|AGO|Angola
MZM|||541|541|MOZ|Mozambique
ZAM|||551|551|ZMB|Zambia
ZIM|||552|552|ZWE|Zimbabwe
MAW|||553|553|MWI|Malawi
SAF|||560|560|ZAF|South Africa
NAM|||565|565|NAM|Namibia
LES|||570|570|LSO|Lesotho
BOT|||571|571|BWA|Botswana
SWA|||572|572|SWZ|Eswatini
MAG|||580|580|MDG|Madagascar
COM|||581|581|COM|Comoros
MAS|||590|590|MUS|Mauritius
SEY|||591|591|SYC|Seychelles
MOR|||600|600|MAR|Morocco
ALG|||615|615|DZA|Algeria
TUN|||616|616|TUN|Tunisia
LIB|||620|620|LBY|Libya
SUD|||625|625|SDN|Sudan
SSD|||626|626|SSD|South Sudan
IRN|||630|630|IRN|Iran
TUR|||640|640|TUR|Turkey
IRQ|||645|645|IRQ|Iraq
EGY|||651|651|EGY|Egypt
SYR|||652|652|SYR|Syria
LEB|||660|660|LBN|Lebanon
JOR|||663|663|JOR|Jordan
ISR|||666|666|ISR|Israel
SAU|||670|670|SAU|Saudi Arabia
YAR||1990-05-21|678|678|YEM|North Yemen
YEM|1990-05-22||679|678|YEM|Yemen
YPR||1990-05-21|680|680|YMD|South Yemen
KUW|||690|690|KWT|Kuwait
BAH|||692|692|BHR|Bahrain
QAT|||694|694|QAT|Qatar
UAE|||696|696|ARE|United Arab Emirates
OMA|||698|698|OMN|Oman
AFG|||700|700|AFG|Afghanistan
TKM|||701|701|TKM|Turkmenistan
TAJ|||702|702|TJK|Tajikistan
KYR|||703|703|KGZ|Kyrgyzstan
UZB|||704|704|UZB|Uzbekistan
KZK|||705|705|KAZ|Kazakhstan
CHN|||710|710|CHN|China
MON|||712|712|MNG|Mongolia
PRK|||731|731|PRK|North Korea
ROK|||732|732|KOR|South Korea
JPN|||740|740|JPN|Japan
IND|||750|750|IND|India
BHU|||760|760|BTN|Bhutan
PAK|||770|770|PAK|Pakistan
BNG|||771|771|BGD|Bangladesh
MYA|||775|775|MMR|Myanmar
SRI|||780|780|LKA|Sri Lanka
MAD|||781|781|MDV|Maldives
NEP|||790|790|NPL|Nepal
THI|||800|800|THA|Thailand
CAM|||811|811|KHM|Cambodia
LAO|||812|812|LAO|Laos
DRV||1976-07-01|816|816|VNM|North Vietnam
DRV|1976-07-02||816|816|VNM|Vietnam
RVN||1975-04-30|817|817||South Vietnam
MAL|||820|820|MYS|Malaysia
SIN|||830|830|SGP|Singapore
BRU|||835|835|BRN|Brunei
PHI|||840|840|PHL|Philippines
INS|||850|850|IDN|Indonesia
ETM|||860|860|TLS|Timor-Leste
AUL|||900|900|AUS|Australia
PNG|||910|910|PNG|Papua New Guinea
NEW|||920|920|NZL|New Zealand
VAN|||935|935|VUT|Vanuatu
SOL|||940|940|SLB|Solomon Islands
KIR|||946|970|KIR|Kiribati
TUV|||947|973|TUV|Tuvalu
FIJ|||950|950|FJI|Fiji
TON|||955|972|TON|Tonga
NAU|||970|971|NRU|Nauru
MSI|||983|983|MHL|Marshall Islands
PAL|||986|986|PLW|Palau
FSM|||987|987|FSM|Micronesia
WSM|||990|990|WSM|Samoa
"""
"""The lines of the table, sorted by COW number then first day."""
