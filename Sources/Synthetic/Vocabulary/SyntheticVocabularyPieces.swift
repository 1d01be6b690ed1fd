/// The merged pieces of BitBench's built-in SentencePiece vocabulary, in score order (the first piece has
/// the highest merge priority). They come from the bitnet-tiny fixture's tokenizer (shared/fixtures/bitnet-tiny:
/// a 1000-piece BPE model trained with sentencepiece 0.2.0 on CPython's help topics and Debian's license
/// texts), ids 259...999. Pieces hold no whitespace, so the list is stored as one whitespace-separated
/// string and split once.
enum SyntheticVocabularyPieces {
    /// Ids 259... of the vocabulary, in order.
    static let pieces: [String] = text.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init)

    private static let text = ##"""
-- ▁t ▁a he in on ▁the ---- re ▁o te ▁c se ▁i ti ▁" or me ▁s le tion de al ce ▁f ▁b ▁in er ing -------- ▁an ==
ar ▁e __ nt at ▁w ** st ▁is ▁of ▁p ▁n an ec ▁to ss th ri la ▁m ▁th ou ▁re li ▁and ter ▁T ▁| ▁ex ed ta di ▁de
ment ▁u ▁* mp lo ue ==== ▁be ▁for ect ▁co ro bj )" ame ▁or ▁v bject ly is ▁( ted ction ve ---------------- ▁wi
▁The **** od ▁object ▁that ▁no ch ()" ▁cla es ▁con ble ation ra ion ▁I ▁are ▁se ▁su ge ▁me ▁it ▁as bu ur ▁on
▁with ▁li ▁"__ it un her ▁by ▁A ▁di ▁al ▁h ribu pe ▁C ▁def ▁S as cep sed ▁not ▁st ke alue pre ▁class ▁ma ▁at
>> ers fi ther ac ary ▁value pp ▁L thod ======== ▁d ul nce mple ▁y ▁pro unction __()" tribu ▁method gu ct
▁name ▁P .. ▁this ate ▁if ld ses ex ▁function ", ▁F ▁ar ▁defin ▁If ▁sta ring ▁un ts per urn ▁can and turn hi
cen il ▁Li ******** ▁ty ance ▁excep co key tribute nd sp .__ ssion low ▁N gument able ▁g ▁other ▁state red
▁statement tem gn ▁argument que ver gh stance ll ". ule ty der ▁any pression mb ut rom hen ▁you cense sel
▁exception ol ▁ne ▁cal ir self atter ▁attribute ▁' ▁W orm ust ally quence __( ▁mo ork ▁ch si ssi ▁from ▁le
odule ▁sh ▁oper eci ▁return ding ▁may ▁[ ▁key ersion ▁instance led attern qu cla ated ▁string ecu ▁sp loc ▁do
tain ▁par ▁po vi ). int ▁execu ▁expression >>> ▁whi ▁>>> ▁comp ror ase ▁used lic ▁code ▁list tions en ult ▁Th
ould are ▁sequence ▁pre ▁so -+ ari one rai ▁License ator sc ▁nu ▁module := ▁version ▁: ort ▁::= no ▁O ▁l
▁speci ▁r ▁use ▁will so ▁This ie ... py ere ▁work ▁imple ound ▁form get ft ▁E ded ▁all nti table erm ▁which
▁type cl rror ▁rai wi Error mm ▁ha ssign use __" ack righ br ▁contain ▁objects thon ▁+ ▁char ▁when scri ▁tr
ython ▁must up class ▁same our ollow ations ▁one ▁also ▁under tic ▁ref ▁assign ▁follow pes acter ▁implement
▁should su ▁... ace ilt ad ger ▁only ▁ac ~~ ▁bu ▁its ================ tr va sing tive ▁For ▁numb val ▁= ys
▁arguments ine form ▁res ▁sub ▁character ord ▁has tional brary () ▁Y ▁imp ctionary clu ▁copy ▁defined ▁R ▁have
▁pattern gra ven ma po ▁In ▁M tor denti ans ard ▁such ▁D ree ▁B fic ---+ ▁Python ▁dictionary mi qui ▁vari
▁built lock sent sses ▁inter ff tes ▁values out ▁cre ample right valu ▁call ▁types ▁ad ▁si cept ameter stribu
▁"' ▁No ▁Se gram scrip ▁supp age ▁app ource ▁methods ▁evalu ▁G ang ser ting ▁item ▁term ▁new ose word
▁variable ▁but ▁comm ▁clause ange name ▁You ▁defini ci uple pping cess ▁example par ▁gi ault ****************
ow ▁U ite ved space ▁modi ▁using ▁called ▁following ▁mat ▁inte ▁identi ▁lo ▁block fin rou ▁does ▁iter ach ure
erence ), ynt ▁provi ▁distribu ▁Co fied wise ▁set ▁then ak ▁< ile ner str ▁en ▁section ware ▁suite ▁“ als ces
cur ield '" ▁they ftware ▁keyword ▁assignment fo ok mo ▁number du irst utable ab ▁la ▁namespace ax all lob
yntax nted except ▁first ▁result ▁names to ub con ▁Re ▁oc None ▁bin ▁conte ▁inclu ▁there ▁reference IT ew
ating ▁When ▁Con ▁whe ▁executed ▁parameter orre ▁over ▁** ▁wh ▁occur ▁- ▁See ▁program fy wa xt ▁ab ▁ca race
▁loc ▁cont ▁default pr alse ▁more ▁than ▁terms ▁definition ic yn dex ▁op ▁Note ------------ urre titem ▁hand
▁posi ▁descrip ous ▁An anged ▁given pattern ali for ▁tar *. nts dict ▁exp ▁ e t a i n s o r l c h d - u m p f
" b y g . _ , * w v = ) ( x T k : | I ' j E A > S N C P 1 L + q 0 F ] [ R O 3 2 ; D W U M ’ z Y B G < 4 H ~ /
5 { } ” “ 6 V 7 8 \ # 9 % ! X K ‘ ^ @ — ? Q & Z – J ` ß °
"""##
}
