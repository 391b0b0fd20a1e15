/**
 * Deterministic generator of realistic Italian blog posts in Markdown, for Ponte's benchmark.
 *
 * The same seed gives byte-identical files on any machine: the only source of randomness is the
 * mulberry32 generator below, seeded per post from (seed, post index), so post N is also the
 * same whatever the number of posts asked for. Nothing reads the clock or `Math.random`.
 *
 * Usage as a command:
 *
 *     node --import tsx scripts/generate-corpus.ts --out DIR --posts 1000 [--seed 42] [--size 5000] [--clean]
 *
 * It writes `DIR/content/it/<section>/[<subfolder>/]<slug>.md`, so DIR is a Ponte project root.
 */
import {realpathSync} from 'node:fs'
import {mkdir, rm, writeFile} from 'node:fs/promises'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'

/** Options of {@link generateCorpus}. */
export interface CorpusOptions {
  /** Project root to write into: posts go to `dir/content/it/`. */
  dir: string
  /** Number of posts to write. */
  posts: number
  /** Seed of the generator (default 42): the same seed gives the same bytes. */
  seed?: number
  /** Target size of one post in bytes (default 5000); each post is within about ±20% of it. */
  sizeBytes?: number
  /** Remove `dir/content/it` before writing (default false), so no stale post stays behind. */
  clean?: boolean
}

/** What {@link generateCorpus} wrote. */
export interface CorpusSummary {
  /** Number of Markdown files written. */
  files: number
  /** Total size of those files in bytes (UTF-8). */
  bytes: number
}

/** One generated post: its path under `content/it/` and its full text. */
export interface GeneratedPost {
  /** Path relative to `content/it/`, with `/` separators: `cucina/ricette/0007-slug.md`. */
  path: string
  /** The file's text, front matter included, ending with a newline (CRLF in some posts). */
  text: string
}

// ---------------------------------------------------------------------------------------------
// Seeded randomness

/** A mulberry32 generator: 32-bit state, floats in [0, 1), identical on every JavaScript engine. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return (): number => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Mixes two 32-bit integers into one (murmur3's finaliser), to seed each post independently. */
function mix32(a: number, b: number): number {
  let h = (a ^ Math.imul(b + 0x9e3779b9, 0x85ebca6b)) >>> 0
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 0
}

class Rng {
  private readonly next: () => number

  constructor(seed: number) {
    this.next = mulberry32(seed)
  }

  /** A float in [0, 1). */
  float(): number {
    return this.next()
  }

  /** An integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1))
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)]
    if (item === undefined) throw new Error('pick from an empty list')
    return item
  }

  shuffle<T>(items: readonly T[]): T[] {
    const out = [...items]
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1))
      const a = out[i] as T
      out[i] = out[j] as T
      out[j] = a
    }
    return out
  }

  /** k distinct items, in random order. */
  sample<T>(items: readonly T[], k: number): T[] {
    return this.shuffle(items).slice(0, k)
  }
}

// ---------------------------------------------------------------------------------------------
// Vocabulary

type Theme = 'tech' | 'food' | 'travel' | 'work' | 'society'

interface Section {
  name: string
  theme: Theme
  /** Occasional second-level folders, so the tree is not flat. */
  subfolders: readonly string[]
  tags: readonly string[]
}

const SECTIONS: readonly Section[] = [
  {name: 'tecnologia', theme: 'tech', subfolders: ['guide', 'recensioni'], tags: ['tecnologia', 'software', 'sviluppo', 'sicurezza', 'open source', 'cloud']},
  {name: 'scienza', theme: 'tech', subfolders: [], tags: ['scienza', 'ricerca', 'dati', 'innovazione', 'università']},
  {name: 'cucina', theme: 'food', subfolders: ['ricette', 'ricette/dolci'], tags: ['cucina', 'ricette', 'tradizione', 'stagione', 'vino']},
  {name: 'viaggi', theme: 'travel', subfolders: ['italia', 'europa'], tags: ['viaggi', 'borghi', 'treno', 'weekend', 'montagna', 'mare']},
  {name: 'ambiente', theme: 'travel', subfolders: [], tags: ['ambiente', 'sostenibilità', 'natura', 'clima']},
  {name: 'lavoro', theme: 'work', subfolders: ['carriera'], tags: ['lavoro', 'carriera', 'smart working', 'formazione', 'produttività']},
  {name: 'economia', theme: 'work', subfolders: [], tags: ['economia', 'imprese', 'startup', 'mercato', 'finanza']},
  {name: 'societa', theme: 'society', subfolders: ['interviste'], tags: ['società', 'scuola', 'giovani', 'città', 'volontariato']},
  {name: 'cultura', theme: 'society', subfolders: [], tags: ['cultura', 'libri', 'cinema', 'musica', 'teatro']},
  {name: 'sport', theme: 'society', subfolders: [], tags: ['sport', 'calcio', 'ciclismo', 'corsa', 'squadra']}
]

/** Words that fill the `{slot}`s of sentences and titles. */
const SLOTS: Readonly<Record<string, readonly string[]>> = {
  citta: ['Milano', 'Torino', 'Genova', 'Bologna', 'Firenze', 'Roma', 'Napoli', 'Bari', 'Palermo', 'Cagliari', 'Trieste', 'Verona', 'Padova', 'Perugia', 'Lecce', 'Matera', 'Trento', 'Ancona'],
  regione: ['Toscana', 'Umbria', 'Puglia', 'Sicilia', 'Sardegna', 'Liguria', 'Calabria', 'Campania', 'Basilicata', 'Piemonte', 'Lombardia', 'Veneto', 'Emilia-Romagna', 'Abruzzo', 'Trentino', 'Friuli Venezia Giulia'],
  piatto: ['ragù', 'pesto', 'tiramisù', 'risotto allo zafferano', 'minestrone', 'cacciucco', 'vitello tonnato', 'castagnaccio', 'polpettone', 'brodetto di pesce', 'sugo all\'amatriciana', 'ciambellone'],
  ingrediente: ['farina', 'zucchero', 'burro', 'parmigiano', 'ceci', 'pomodorini', 'guanciale', 'ricotta', 'mandorle', 'pecorino', 'riso Carnaroli', 'cioccolato fondente'],
  strumento: ['Docker', 'Kubernetes', 'PostgreSQL', 'Git', 'TypeScript', 'Node.js', 'Python', 'Linux', 'Terraform', 'Redis', 'Grafana', 'Ansible'],
  persona: ['Giulia Bianchi', 'Marco Rossi', 'Francesca Esposito', 'Luca Romano', 'Chiara Colombo', 'Alessandro Ricci', 'Sara Marino', 'Davide Greco', 'Elena Conti', 'Matteo Gallo'],
  mese: ['gennaio', 'febbraio', 'marzo', 'aprile', 'maggio', 'giugno', 'luglio', 'agosto', 'settembre', 'ottobre', 'novembre', 'dicembre'],
  numero: ['3', '4', '5', '6', '7', '8', '10', '12'],
  grammi: ['100', '150', '200', '250', '300', '400', '500'],
  percentuale: ['35', '42', '48', '57', '61', '68', '73'],
  km: ['25', '40', '60', '85', '120'],
  anno: ['2018', '2019', '2020', '2021', '2022', '2023', '2024']
}

/** Real Italian sentences per theme; `{slot}`s are filled from {@link SLOTS}. */
const SENTENCES: Readonly<Record<Theme | 'general', readonly string[]>> = {
  tech: [
    'Negli ultimi anni l\'intelligenza artificiale è entrata nella vita quotidiana di milioni di persone, spesso senza che ce ne accorgessimo.',
    'Prima di aggiornare il sistema operativo conviene sempre fare una copia di sicurezza dei dati più importanti.',
    'Il nostro team ha migrato l\'intero backend su {strumento} in meno di {numero} settimane.',
    'Molti sviluppatori sottovalutano l\'importanza dei test automatici finché un bug non arriva in produzione.',
    'La documentazione è il primo posto in cui un nuovo collega cerca risposte, quindi vale la pena curarla.',
    'Con {strumento} è possibile automatizzare gran parte del lavoro ripetitivo che prima facevamo a mano.',
    'Le password riutilizzate restano una delle cause principali delle violazioni di sicurezza.',
    'Un buon editor di testo, configurato con cura, può far risparmiare ore di lavoro ogni settimana.',
    'La connessione in fibra è ormai disponibile in gran parte di {citta}, ma nelle zone rurali la situazione è diversa.',
    'Abbiamo misurato i tempi di risposta del server prima e dopo l\'ottimizzazione, e la differenza è stata sorprendente.',
    'Il software libero ha cambiato il modo in cui le aziende italiane pensano agli investimenti tecnologici.',
    'Non esiste uno strumento perfetto: ogni scelta tecnica è un compromesso tra semplicità, costi e prestazioni.',
    'Gli smartphone di fascia media offrono oggi prestazioni che solo cinque anni fa erano riservate ai modelli di punta.',
    'La revisione del codice non serve solo a trovare errori, ma anche a diffondere la conoscenza nel gruppo.',
    'Chi lavora con i dati sa che la parte più lunga non è l\'analisi, ma la pulizia delle informazioni grezze.',
    'Nel {anno} il numero di dispositivi connessi in Italia ha superato quello degli abitanti.'
  ],
  food: [
    'La carbonara autentica si prepara con guanciale, pecorino romano, uova e pepe nero, senza panna.',
    'Per un buon risotto bisogna tostare il riso e aggiungere il brodo caldo poco alla volta.',
    'Mia nonna diceva che la pasta fresca richiede pazienza, farina di qualità e mani fredde.',
    'Il {piatto} è uno di quei piatti che cambiano da un paese all\'altro, e ogni famiglia custodisce la propria versione.',
    'Al mercato del sabato a {citta} si trovano ancora verdure di stagione a prezzi onesti.',
    'Un filo d\'olio extravergine a crudo può trasformare anche il piatto più semplice.',
    'Il segreto del ragù è la cottura lenta: almeno tre ore a fuoco bassissimo.',
    'Durante l\'estate preferiamo piatti freddi, come l\'insalata di riso o la caprese con basilico fresco.',
    'Prima di infornare la focaccia, premete l\'impasto con le dita e lasciatelo riposare ancora mezz\'ora.',
    'Il caffè espresso al banco resta un piccolo rito quotidiano per moltissimi italiani.',
    'Per questa ricetta servono {grammi} grammi di {ingrediente} e un pizzico di sale grosso.',
    'Il pane avanzato non si butta: diventa pangrattato, panzanella o una zuppa rustica.',
    'Le ricette regionali raccontano la storia di un territorio meglio di tanti libri.',
    'In {regione} il pranzo della domenica è ancora un momento sacro per tutta la famiglia.',
    'Abbinare il vino giusto al piatto non è una scienza esatta, ma alcune regole aiutano.'
  ],
  travel: [
    'Il treno regionale che collega {citta} alla costa attraversa paesaggi che meritano da soli il viaggio.',
    'Abbiamo prenotato una piccola pensione a conduzione familiare, a due passi dal centro storico.',
    'In primavera, in {regione}, le colline si riempiono di colori e i turisti sono ancora pochi.',
    'Se visitate {citta} in agosto, preparatevi al caldo e alle code davanti ai musei.',
    'Il modo migliore per scoprire un borgo è perdersi tra i vicoli senza una meta precisa.',
    'Conviene acquistare i biglietti dei traghetti con qualche settimana di anticipo, soprattutto in alta stagione.',
    'Lungo il sentiero non ci sono fontane, quindi portate con voi almeno due litri d\'acqua.',
    'La sera ci siamo fermati in una trattoria dove il menù era scritto a mano su una lavagna.',
    'Viaggiare fuori stagione significa spendere meno e vivere i luoghi come chi ci abita.',
    'Dal belvedere si vede tutta la valle, e nelle giornate limpide anche il profilo delle Alpi.',
    'Il museo è aperto dal martedì alla domenica, con ingresso gratuito la prima domenica del mese.',
    'Abbiamo percorso {km} chilometri in bicicletta, fermandoci spesso a fotografare il paesaggio.',
    'Molti viaggiatori scelgono ormai il treno notturno per ridurre l\'impatto ambientale degli spostamenti.',
    'Le spiagge più belle dell\'isola si raggiungono solo a piedi o in barca.'
  ],
  work: [
    'Il lavoro da remoto ha cambiato il modo in cui organizziamo le giornate e gli spazi di casa.',
    'Una riunione senza un ordine del giorno chiaro rischia di trasformarsi in una perdita di tempo.',
    'Molte piccole imprese italiane faticano ancora a trovare personale qualificato nel settore digitale.',
    'Chiedere un aumento richiede preparazione: dati concreti, risultati raggiunti e il momento giusto.',
    'Secondo un\'indagine recente, il {percentuale} per cento dei dipendenti vorrebbe una settimana lavorativa più corta.',
    'Scrivere un curriculum efficace significa scegliere cosa raccontare, non elencare tutto.',
    'La formazione continua non è più un lusso, ma una necessità per chi vuole restare sul mercato.',
    'Delegare non vuol dire perdere il controllo, ma fidarsi delle persone con cui si lavora.',
    'Le scadenze irrealistiche producono stress, errori e, alla lunga, un calo della qualità.',
    'Nel nostro ufficio di {citta} abbiamo introdotto due giornate a settimana senza riunioni.',
    'Un colloquio di lavoro è anche l\'occasione per capire se l\'azienda fa davvero per noi.',
    'Il bilancio trimestrale ha mostrato una crescita dei ricavi, ma anche un aumento dei costi energetici.',
    'Le startup che sopravvivono ai primi tre anni sono quelle che ascoltano davvero i propri clienti.',
    'Prendersi una pausa lontano dallo schermo migliora la concentrazione più di un altro caffè.'
  ],
  society: [
    'Le biblioteche di quartiere sono diventate veri centri di aggregazione per giovani e anziani.',
    'Il volontariato coinvolge ogni anno milioni di persone, spesso lontano dai riflettori.',
    'Il calo delle nascite è uno dei temi più discussi nel dibattito pubblico degli ultimi anni.',
    'A {citta} il festival estivo ha portato in piazza musica, teatro e migliaia di spettatori.',
    'La scuola italiana sta sperimentando nuovi metodi didattici, con risultati ancora da valutare.',
    'Lo sport di base vive grazie all\'impegno di allenatori che spesso lavorano gratuitamente.',
    'Il dialetto non è un errore da correggere, ma una parte preziosa del nostro patrimonio culturale.',
    'Molti giovani lasciano i piccoli centri per studiare, e pochi tornano dopo la laurea.',
    'La partita di domenica ha riempito lo stadio come non succedeva da anni.',
    'Leggere un libro al mese è un obiettivo semplice che può cambiare molte abitudini.',
    'Il trasporto pubblico resta il punto debole di molte città di medie dimensioni.',
    'Le piazze italiane sono da secoli il luogo naturale dell\'incontro e della discussione.',
    'Nel {anno} la raccolta differenziata ha raggiunto livelli record in diverse province.',
    'Il cinema di quartiere ha riaperto grazie a una campagna di raccolta fondi tra i residenti.'
  ],
  general: [
    'In questo articolo proviamo a fare il punto della situazione, senza pretese di completezza.',
    'Come spesso accade, la risposta giusta dipende dal contesto.',
    'Vale la pena soffermarsi su alcuni dettagli che di solito passano inosservati.',
    'Abbiamo raccolto i consigli più utili emersi dalle discussioni con i lettori.',
    'Nei prossimi paragrafi vedremo perché questa scelta non è affatto scontata.',
    'Non si tratta di una regola assoluta, ma di un punto di partenza ragionevole.',
    'Chi ci segue da tempo sa che torniamo spesso su questo argomento.',
    'Il risultato finale ci ha convinto, anche se qualche aspetto si può ancora migliorare.',
    'Fateci sapere nei commenti se avete avuto esperienze simili.',
    'È un tema che merita attenzione, perché riguarda da vicino la vita di tutti i giorni.',
    'Alla fine, la cosa più importante è cominciare, anche con piccoli passi.',
    'Per chi ha fretta, in fondo all\'articolo trovate un breve riepilogo.'
  ]
}

/** Sentences with a `{cmd}` slot, rendered as inline code, per theme, with the codes that fit them. */
const CODE_SENTENCES: Readonly<Record<Theme, {sentences: readonly string[], codes: readonly string[]}>> = {
  tech: {
    sentences: [
      'Per avviare il progetto in locale basta eseguire {cmd} dal terminale.',
      'Il comando {cmd} mostra lo stato attuale del lavoro.',
      'Ricordate di impostare {cmd} prima di lanciare lo script.',
      'Nel file di configurazione la voce {cmd} controlla il comportamento predefinito.',
      'Se qualcosa va storto, {cmd} di solito aiuta a capire il problema.'
    ],
    codes: ['npm run build', 'git status', 'docker compose up -d', 'NODE_ENV=production', 'ls -la', 'timeout: 30', 'python3 -m venv .venv', 'console.log()', '<br>', 'git log --oneline', 'SELECT * FROM ordini', 'echo `date`', 'Ctrl+Maiusc+P']
  },
  food: {
    sentences: [
      'Sul sito trovate tutte le ricette con l\'etichetta {cmd}.',
      'Nel nostro ricettario digitale questa preparazione ha il codice {cmd}.',
      'Sui social la trovate cercando {cmd}.'
    ],
    codes: ['#ricette-estive', '#pastafresca', 'R-042', '#cucinadistagione', 'dolci/forno']
  },
  travel: {
    sentences: [
      'Per la prenotazione online usate il codice sconto {cmd}.',
      'Sul tabellone della stazione cercate il treno {cmd}.',
      'Le coordinate del parcheggio sono {cmd}.'
    ],
    codes: ['ESTATE24', 'R 2345', '43.7696, 11.2558', 'IC 587', 'BORGHI10']
  },
  work: {
    sentences: [
      'Nel foglio di calcolo abbiamo usato la formula {cmd} per i totali.',
      'La scorciatoia {cmd} fa risparmiare più tempo di quanto si pensi.',
      'Nel calendario condiviso le riunioni hanno l\'etichetta {cmd}.'
    ],
    codes: ['=SOMMA(B2:B10)', 'Ctrl+Maiusc+V', '=MEDIA(C2:C31)', '[focus]', 'Cmd+K']
  },
  society: {
    sentences: [
      'Sui social l\'iniziativa si segue con l\'hashtag {cmd}.',
      'Per iscriversi basta scrivere a {cmd}.',
      'Il regolamento è consultabile all\'indirizzo {cmd}.'
    ],
    codes: ['#festivalestivo', 'info@esempio.it', '#bibliotecheaperte', 'esempio.it/regolamento', '#sportperdavvero']
  }
}

/** Connectives that open a sentence now and then, so the same sentence reads differently. */
const CONNECTIVES: readonly string[] = [
  'Inoltre,', 'Del resto,', 'In ogni caso,', 'Detto questo,', 'A dire il vero,', 'Non a caso,', 'Tra l\'altro,',
  'Come molti sanno,', 'Secondo noi,', 'In pratica,', 'Per questo motivo,', 'Eppure,', 'D\'altra parte,'
]

const FOOTNOTES: readonly string[] = [
  'Dati ISTAT aggiornati al {anno}.',
  'Il calcolo è approssimativo e non tiene conto delle variazioni stagionali.',
  'Ne abbiamo parlato più a lungo in un articolo precedente.',
  'La fonte è un\'intervista pubblicata su un quotidiano di {citta}.',
  'Prezzi indicativi, rilevati durante la nostra visita.',
  'Grazie a {persona} per la segnalazione.',
  'Questa informazione potrebbe non essere più valida al momento della lettura.',
  'Vedi anche la documentazione ufficiale del progetto, che è molto più dettagliata di questo riassunto.',
  'Il dato si riferisce alle sole regioni del Centro-Nord.'
]

const HEADINGS: Readonly<Record<Theme | 'general', readonly string[]>> = {
  tech: ['Perché ne parliamo', 'Come funziona', 'Installazione e primi passi', 'Configurazione', 'Problemi comuni e soluzioni', 'Le alternative', 'Cosa abbiamo imparato', 'Prestazioni a confronto', 'Sicurezza prima di tutto', 'Uno sguardo al codice'],
  food: ['Gli ingredienti', 'La preparazione', 'Varianti regionali', 'Consigli per la conservazione', 'L\'abbinamento con il vino', 'Un po\' di storia', 'Errori da non fare ai fornelli'],
  travel: ['Come arrivare', 'Dove dormire', 'Cosa vedere', 'Dove mangiare', 'Quando andare', 'Consigli pratici', 'Il percorso a piedi', 'Quanto si spende'],
  work: ['Il contesto', 'I numeri', 'Strumenti utili', 'Errori da evitare', 'Cosa dicono gli esperti', 'La nostra esperienza', 'Come organizzarsi'],
  society: ['Il quadro generale', 'Le voci dei protagonisti', 'I dati', 'Uno sguardo al futuro', 'Cosa cambia in città', 'Le iniziative sul territorio'],
  general: ['Introduzione', 'Conclusioni', 'Per approfondire', 'Domande frequenti', 'Il nostro parere', 'Riepilogo', 'Cosa ne pensate?', 'Qualche considerazione finale']
}

const TITLES: Readonly<Record<Theme, readonly string[]>> = {
  tech: ['Guida pratica a {strumento}', 'Come abbiamo ridotto i tempi di rilascio con {strumento}', '{numero} errori comuni con {strumento} e come evitarli', 'Sicurezza informatica: cosa cambia nel {anno}', 'Lavorare con i dati: una guida per principianti', 'Perché abbiamo scelto {strumento} per il nuovo progetto'],
  food: ['La ricetta del {piatto} come la faceva la nonna', '{numero} segreti per un {piatto} perfetto', 'Cucina di stagione: cosa comprare nel mese di {mese}', 'Cosa mangiare a {citta}: la nostra guida', 'Il pane fatto in casa, passo dopo passo'],
  travel: ['Un fine settimana a {citta}', '{numero} borghi da visitare in {regione}', 'In treno in {regione}: diario di viaggio', 'Cosa vedere a {citta} in due giorni', 'Sentieri e rifugi: l\'estate in {regione}'],
  work: ['Lavoro da remoto: {numero} consigli per non impazzire', 'Come preparare un colloquio di lavoro', 'Piccole imprese e digitale: a che punto siamo', 'La settimana corta funziona davvero?', 'Cosa abbiamo imparato in {numero} anni di startup a {citta}'],
  society: ['Le biblioteche di {citta} cambiano volto', 'Giovani e piccoli centri: perché si parte e perché si torna', 'Il festival di {citta} compie {numero} anni', 'Sport di base: intervista a {persona}', 'La scuola che cambia: voci dalle classi di {citta}']
}

const DESCRIPTIONS: readonly string[] = [
  'Una guida pratica con consigli, esempi e qualche errore da evitare.',
  'Il nostro racconto, con i dati raccolti e le impressioni a caldo.',
  'Tutto quello che abbiamo imparato, spiegato passo dopo passo.',
  'Una panoramica ragionata per chi vuole orientarsi senza perdere tempo.',
  'Appunti, link utili e qualche opinione personale.',
  'Cosa funziona, cosa no e cosa faremmo diversamente la prossima volta.'
]

const LIST_ITEMS: Readonly<Record<Theme, readonly string[]>> = {
  tech: ['installare le dipendenze', 'configurare le variabili d\'ambiente', 'scrivere almeno un test per ogni funzione', 'controllare i log dopo ogni rilascio', 'aggiornare regolarmente le librerie', 'usare un gestore di password', 'attivare l\'autenticazione a due fattori', 'documentare le decisioni importanti', 'misurare prima di ottimizzare', 'tenere separati i dati di prova e quelli reali'],
  food: ['farina di grano tenero', 'uova fresche a temperatura ambiente', 'un pizzico di sale', 'olio extravergine di oliva', 'basilico appena colto', 'pecorino grattugiato', 'lievito madre rinfrescato', 'pomodori maturi', 'una noce di burro', 'pepe nero macinato al momento'],
  travel: ['scarpe comode per camminare', 'una borraccia riutilizzabile', 'la carta d\'identità', 'una giacca leggera anche in estate', 'la prenotazione stampata', 'una mappa dei sentieri', 'contanti per i piccoli negozi', 'la crema solare', 'un caricatore portatile', 'gli orari dei treni locali'],
  work: ['fissare obiettivi chiari', 'bloccare in agenda il tempo per il lavoro profondo', 'rispondere alle email a orari fissi', 'chiedere un riscontro dopo ogni progetto', 'tenere traccia delle ore', 'preparare un ordine del giorno', 'fare pause regolari', 'condividere i risultati con il gruppo', 'pianificare la settimana il lunedì mattina', 'evitare il multitasking'],
  society: ['partecipare alle assemblee di quartiere', 'sostenere le associazioni locali', 'frequentare la biblioteca', 'usare i mezzi pubblici', 'leggere i giornali locali', 'fare volontariato nel fine settimana', 'iscriversi a una squadra amatoriale', 'andare a teatro almeno una volta al mese', 'conoscere i vicini di casa', 'seguire il consiglio comunale']
}

const STEPS: Readonly<Record<Theme, readonly string[]>> = {
  tech: ['Clonate il repository sul vostro computer.', 'Installate le dipendenze del progetto.', 'Copiate il file di esempio della configurazione e modificatelo.', 'Avviate il server di sviluppo.', 'Aprite il browser e verificate che tutto funzioni.', 'Eseguite i test prima di ogni modifica importante.'],
  food: ['Preriscaldate il forno a 180 gradi.', 'Setacciate la farina in una ciotola capiente.', 'Aggiungete le uova una alla volta, mescolando con cura.', 'Lasciate riposare l\'impasto per almeno un\'ora.', 'Stendete la pasta con il mattarello.', 'Cuocete per circa venti minuti, finché la superficie è dorata.'],
  travel: ['Prenotate il treno con almeno due settimane di anticipo.', 'Lasciate i bagagli in albergo e partite leggeri.', 'Seguite il sentiero segnato in bianco e rosso.', 'Fermatevi al rifugio per il pranzo.', 'Scendete a valle prima del tramonto.', 'Tornate in centro con l\'ultimo autobus della sera.'],
  work: ['Elencate tutte le attività della settimana.', 'Assegnate a ciascuna una priorità.', 'Stimate il tempo necessario per ogni attività.', 'Bloccate gli spazi in calendario.', 'Rivedete il piano a metà settimana.', 'Il venerdì annotate cosa è andato bene e cosa no.'],
  society: ['Individuate un problema concreto del quartiere.', 'Coinvolgete almeno altre tre persone.', 'Scrivete una proposta breve e chiara.', 'Presentatela al consiglio di municipio.', 'Raccogliete le firme dei residenti.', 'Organizzate un incontro pubblico per discuterne.']
}

const QUOTES: readonly {text: string, author: string}[] = [
  {text: 'Il mondo è un bel libro, ma poco serve a chi non lo sa leggere.', author: 'Carlo Goldoni'},
  {text: 'Fatti non foste a viver come bruti, ma per seguir virtute e canoscenza.', author: 'Dante Alighieri'},
  {text: 'La semplicità è la suprema sofisticazione.', author: 'attribuita a Leonardo da Vinci'},
  {text: 'Chi non legge, a settant\'anni avrà vissuto una sola vita; chi legge avrà vissuto cinquemila anni.', author: 'Umberto Eco'},
  {text: 'Se vogliamo che tutto rimanga come è, bisogna che tutto cambi.', author: 'Giuseppe Tomasi di Lampedusa'},
  {text: 'I have a dream, anzi ne ho molti, e quasi tutti riguardano una cucina più ordinata.', author: '{persona}'}
]

const IMAGE_ALTS: Readonly<Record<Theme, readonly string[]>> = {
  tech: ['Schema dell\'architettura del servizio', 'Grafico dei tempi di risposta', 'La schermata delle impostazioni', 'Il terminale durante il rilascio', 'Confronto dei consumi di memoria'],
  food: ['Un piatto di {piatto} appena servito', 'Gli ingredienti pronti sul tavolo', 'L\'impasto dopo la lievitazione', 'Il banco del mercato di {citta}', 'La tavola apparecchiata per la domenica'],
  travel: ['Veduta di {citta} dal belvedere', 'La piazza principale di {citta} al tramonto', 'Il sentiero che sale verso il rifugio', 'Una spiaggia deserta in {regione}', 'Il treno regionale lungo la costa'],
  work: ['Il gruppo di lavoro durante la riunione', 'La scrivania di casa', 'Grafico dei ricavi del {anno}', 'La lavagna con il piano della settimana', 'Un ufficio condiviso a {citta}'],
  society: ['La biblioteca di quartiere a {citta}', 'Il pubblico del festival in piazza', 'La tabella dei risultati del {anno}', 'Una classe durante il laboratorio', 'Lo stadio pieno per la partita']
}

const LINK_TITLES: readonly string[] = [
  'Approfondimento', 'Leggi la guida completa', 'La fonte originale', 'Documentazione ufficiale', 'Il nostro articolo precedente', 'Sito del progetto'
]

const CODE_BLOCKS: readonly {lang: string, lines: readonly string[]}[] = [
  {lang: 'js', lines: [
    '// Calcola il totale del carrello, IVA inclusa',
    'function totaleCarrello(articoli, aliquota = 0.22) {',
    '  const imponibile = articoli.reduce((somma, a) => somma + a.prezzo * a.quantita, 0);',
    '  return Math.round(imponibile * (1 + aliquota) * 100) / 100;',
    '}',
    '',
    'console.log(\'Totale:\', totaleCarrello([{prezzo: 9.5, quantita: 2}]), \'€\');'
  ]},
  {lang: 'js', lines: [
    'import {readFile} from \'node:fs/promises\';',
    '',
    '// Legge il file delle ricette e stampa i titoli',
    'const ricette = JSON.parse(await readFile(\'ricette.json\', \'utf8\'));',
    'for (const ricetta of ricette) {',
    '  console.log(`${ricetta.titolo} (${ricetta.minuti} minuti)`);',
    '}'
  ]},
  {lang: 'js', lines: [
    'const saluti = {',
    '  mattina: \'Buongiorno\',',
    '  sera: \'Buonasera\',',
    '};',
    '',
    '/* Restituisce il saluto adatto all\'ora del giorno */',
    'export function saluta(ora) {',
    '  return ora < 18 ? saluti.mattina : saluti.sera;',
    '}'
  ]},
  {lang: 'js', lines: [
    'async function caricaArticoli(pagina = 1) {',
    '  const risposta = await fetch(`/api/articoli?pagina=${pagina}`);',
    '  if (!risposta.ok) throw new Error(\'Impossibile caricare gli articoli\');',
    '  return risposta.json(); // un array di oggetti',
    '}'
  ]},
  {lang: 'bash', lines: [
    '# Installa le dipendenze e avvia il server',
    'npm install',
    'npm run dev -- --port 8080',
    'echo "Server avviato su http://localhost:8080"'
  ]},
  {lang: 'python', lines: [
    'def media(valori):',
    '    """Restituisce la media aritmetica, oppure None se la lista è vuota."""',
    '    if not valori:',
    '        return None',
    '    return sum(valori) / len(valori)',
    '',
    'print(media([18, 24, 30]))  # stampa 24.0'
  ]},
  {lang: 'json', lines: [
    '{',
    '  "titolo": "Risotto allo zafferano",',
    '  "porzioni": 4,',
    '  "ingredienti": ["riso", "zafferano", "brodo", "burro"]',
    '}'
  ]},
  {lang: 'yaml', lines: [
    '# Configurazione del sito',
    'title: Il mio blog',
    'language: it',
    'params:',
    '  autore: "Redazione"'
  ]},
  {lang: 'markdown', lines: [
    '# Questo non è un titolo del post',
    '',
    'Un esempio di **Markdown** dentro un blocco di codice: non va tradotto.',
    '',
    '- primo punto',
    '- secondo punto'
  ]}
]

const TABLES: Readonly<Record<Theme, {head: readonly [string, string, string], rows: readonly (readonly [string, string, string])[]}>> = {
  tech: {head: ['Strumento', 'Licenza', 'Costo mensile'], rows: [['Git', 'GPL', '0 €'], ['PostgreSQL', 'PostgreSQL', '0 €'], ['Servizio di monitoraggio', 'proprietaria', '29 €'], ['Hosting gestito', 'proprietaria', '45 €'], ['`redis`', 'BSD', '0 €'], ['Editor *con* estensioni', 'MIT', '0 €']]},
  food: {head: ['Ingrediente', 'Quantità', 'Calorie'], rows: [['Farina 00', '500 g', '1.700'], ['Uova', '3', '210'], ['Zucchero', '150 g', '600'], ['Burro', '100 g', '740'], ['Latte intero', '200 ml', '130'], ['Lievito per dolci', '1 bustina', '30']]},
  travel: {head: ['Città', 'Periodo migliore', 'Budget giornaliero'], rows: [['Matera', 'aprile–giugno', '80 €'], ['Trieste', 'settembre', '95 €'], ['Lecce', 'maggio', '70 €'], ['Trento', 'dicembre', '110 €'], ['Cagliari', 'giugno', '90 €'], ['Perugia', 'ottobre', '75 €']]},
  work: {head: ['Attività', 'Ore settimanali', 'Priorità'], rows: [['Riunioni', '6', 'media'], ['Sviluppo', '22', '**alta**'], ['Email', '5', 'bassa'], ['Formazione', '3', 'alta'], ['Supporto clienti', '4', 'media'], ['Pianificazione', '2', 'alta']]},
  society: {head: ['Regione', 'Biblioteche', 'Variazione'], rows: [['Lombardia', '1.240', '+3%'], ['Toscana', '610', '+1%'], ['Campania', '420', '−2%'], ['Sicilia', '380', '+4%'], ['Veneto', '690', '0%'], ['Puglia', '350', '+2%']]}
}

const IAL_CLASSES: readonly string[] = ['.lead', '.evidenza', '.nota-a-margine', '.centrato', '#riepilogo']

// ---------------------------------------------------------------------------------------------
// Text helpers

/** Stands for a space that must not become a line break (inside links, code spans, …). */
const NBSP = '\u0001'
/** Marks a token after which the line must break (after an inline `<br>`). */
const BREAK = '\u0002'

function fill(template: string, rng: Rng): string {
  return template.replace(/\{([a-z]+)\}/g, (whole: string, key: string): string => {
    const words = SLOTS[key]
    return words === undefined ? whole : rng.pick(words)
  })
}

function slugify(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
}

function glue(text: string): string {
  return text.replace(/ /g, NBSP)
}

function codeSpan(code: string): string {
  return code.includes('`') ? `\`\` ${code} \`\`` : `\`${code}\``
}

/** Could this token, at the start of a line, begin a block construct instead of continuing the paragraph? */
function riskyLineStart(token: string): boolean {
  return /^(?:[-+*]|\d{1,9}[.)]|#{1,6}|[=-]+|`{3,}.*|~{3,}.*)$/.test(token) || /^[>|<{]/.test(token) || /^\[[^\]]*\]:/.test(token)
}

/**
 * Greedy hard wrap at `width` columns: `first` prefixes the first line, `rest` the others.
 * Tokens never split; a token that could open a block construct never starts a line.
 */
function wrap(text: string, width: number, first: string, rest: string): string[] {
  const tokens = text.split(' ').filter((t: string): boolean => t.length > 0)
  const lines: string[] = []
  let line = ''
  let forced = false
  for (const token of tokens) {
    const plain = token.replace(/\u0001/g, ' ').replace(/\u0002/g, '')
    const prefix = lines.length === 0 ? first : rest
    if (line === '') {
      line = plain
    } else if (forced || (prefix.length + line.length + 1 + plain.length > width && !riskyLineStart(plain))) {
      lines.push(prefix + line)
      line = plain
    } else {
      line += ' ' + plain
    }
    forced = token.endsWith(BREAK)
  }
  if (line !== '') lines.push((lines.length === 0 ? first : rest) + line)
  return lines
}

// ---------------------------------------------------------------------------------------------
// Posts

type InlineFeature = 'emStar' | 'emUnderscore' | 'strongStar' | 'strongUnderscore' | 'link' | 'refLink' | 'code' | 'footnote' | 'br' | 'image'

const ALL_INLINE: readonly InlineFeature[] = ['emStar', 'emUnderscore', 'strongStar', 'strongUnderscore', 'link', 'refLink', 'code', 'footnote', 'br', 'image']

interface RefDefinition {
  label: string
  url: string
  title: string | undefined
  style: 'double' | 'single' | 'paren' | 'angle' | 'none'
}

interface PostState {
  rng: Rng
  section: Section
  theme: Theme
  smartQuotes: boolean
  /** Sentences not yet used in this post, per pool, so a post repeats none until a pool runs out. */
  decks: Map<readonly string[], string[]>
  footnotes: {label: string, text: string, extra: string | undefined}[]
  refs: RefDefinition[]
  imageCount: number
}

function sentence(state: PostState, pool: readonly string[], connective = true): string {
  let deck = state.decks.get(pool)
  if (deck === undefined || deck.length === 0) {
    deck = state.rng.shuffle(pool)
    state.decks.set(pool, deck)
  }
  let text = fill(deck.pop() ?? '', state.rng)
  if (connective && state.rng.chance(0.15) && !/^(È|Il [A-Z]|[A-Z][a-z]+ [A-Z])/.test(text)) {
    text = `${state.rng.pick(CONNECTIVES)} ${text.charAt(0).toLowerCase()}${text.slice(1)}`
  }
  return state.smartQuotes ? text.replace(/'/g, '\u2019') : text
}

function themeSentence(state: PostState): string {
  return sentence(state, state.rng.chance(0.75) ? SENTENCES[state.theme] : SENTENCES.general)
}

const WORD = /^([\p{L}][\p{L}'\u2019]*[\p{L}])([,.;:!?]?)$/u

/** Indexes of tokens that are a plain word (optionally followed by punctuation) and not yet decorated. */
function plainWords(tokens: readonly string[], locked: readonly boolean[], minLength: number): number[] {
  const out: number[] = []
  tokens.forEach((token: string, i: number): void => {
    const match = WORD.exec(token)
    if (match !== null && !locked[i] && (match[1] ?? '').length >= minLength) out.push(i)
  })
  return out
}

function imageMarkup(state: PostState): string {
  state.imageCount += 1
  const alt = fill(state.rng.pick(IMAGE_ALTS[state.theme]), state.rng)
  const file = `/img/${state.section.name}/${slugify(alt).slice(0, 24)}-${state.imageCount}.${state.rng.pick(['png', 'jpg', 'webp'])}`
  const title = state.rng.chance(0.7) ? ` "${fill(state.rng.pick(['Foto della redazione', 'Foto di {persona}', 'Elaborazione nostra su dati {anno}', alt]), state.rng)}"` : ''
  return `![${alt}](${file}${title})`
}

function newFootnote(state: PostState): string {
  const n = state.footnotes.length + 1
  const label = state.rng.chance(0.2) ? `nota${n}` : String(n)
  const text = sentence(state, FOOTNOTES, false)
  const extra = state.rng.chance(0.15) ? sentence(state, FOOTNOTES, false) : undefined
  state.footnotes.push({label, text, extra})
  return `[^${label}]`
}

function newReference(state: PostState, text: string): string {
  const n = state.refs.length + 1
  const kind = state.rng.int(0, 3)
  const url = `https://esempio.it/${state.section.name}/${slugify(text) || 'pagina'}-${n}`
  const title = state.rng.chance(0.6) ? state.rng.pick(LINK_TITLES) : undefined
  const style = title === undefined ? (state.rng.chance(0.3) ? 'angle' : 'none') : state.rng.pick(['double', 'double', 'single', 'paren'] as const)
  if (kind === 0) {
    // Collapsed reference: the label is the link text itself.
    state.refs.push({label: text, url, title, style})
    return `[${text}][]`
  }
  const label = kind === 1 ? String(n) : `${slugify(text).split('-').slice(0, 2).join('-') || 'rif'}-${n}`
  // Sometimes the reference differs in case from its definition, which Markdown allows.
  const used = kind === 3 ? label.toUpperCase() : label
  state.refs.push({label, url, title, style})
  return `[${text}][${used}]`
}

/** Decorates a paragraph's sentences with the given inline features, then hard-wraps it. */
function inlineText(state: PostState, sentences: string[], features: readonly InlineFeature[]): string {
  const rng = state.rng
  if (features.includes('code')) {
    const pool = CODE_SENTENCES[state.theme]
    const cmd = codeSpan(rng.pick(pool.codes))
    const text = rng.pick(pool.sentences)
    sentences.splice(rng.int(0, sentences.length), 0, (state.smartQuotes ? text.replace(/'/g, '\u2019') : text).replace('{cmd}', glue(cmd)))
  }
  if (features.includes('image')) {
    sentences.splice(rng.int(1, sentences.length), 0, glue(imageMarkup(state)))
  }
  const tokens = sentences.join(' ').split(' ')
  const locked = tokens.map((t: string): boolean => !WORD.test(t))
  /** How many tokens from i form a span of undecorated words (at most max; only the last may end in punctuation). */
  const spanAt = (i: number, max: number): number => {
    let n = 0
    while (n < max) {
      const m = WORD.exec(tokens[i + n] ?? '')
      if (m === null || locked[i + n]) break
      n += 1
      if (m[2] !== '') break
    }
    return n
  }
  /** Replaces a span of words with `render(words)`, keeping the last word's punctuation outside. */
  const decorate = (minLength: number, max: number, render: (words: string) => string): void => {
    const candidates = plainWords(tokens, locked, minLength)
    if (candidates.length === 0) return
    const i = rng.pick(candidates)
    const n = spanAt(i, rng.int(1, max))
    const words = tokens.slice(i, i + n)
    const punct = WORD.exec(words[n - 1] ?? '')?.[2] ?? ''
    const inner = words.join(' ')
    tokens.splice(i, n, glue(render(inner.slice(0, inner.length - punct.length))) + punct)
    locked.splice(i, n, true)
  }
  for (const feature of features) {
    switch (feature) {
      case 'emStar': decorate(4, 2, (w: string): string => `*${w}*`); break
      case 'emUnderscore': decorate(4, 1, (w: string): string => `_${w}_`); break
      case 'strongStar': decorate(4, 3, (w: string): string => `**${w}**`); break
      case 'strongUnderscore': decorate(4, 1, (w: string): string => `__${w}__`); break
      case 'link': {
        const title = rng.chance(0.7) ? ` "${rng.pick(LINK_TITLES)}"` : ''
        decorate(3, 3, (w: string): string => `[${w}](https://esempio.it/${state.section.name}/${slugify(w)}${title})`)
        break
      }
      case 'refLink': {
        const candidates = plainWords(tokens, locked, 4).filter((i: number): boolean => WORD.exec(tokens[i + 1] ?? '')?.[2] !== undefined && !locked[i + 1] && WORD.exec(tokens[i] ?? '')?.[2] === '')
        if (candidates.length > 0) {
          const i = rng.pick(candidates)
          const second = WORD.exec(tokens[i + 1] ?? '')
          const text = `${tokens[i] ?? ''} ${second?.[1] ?? ''}`
          tokens.splice(i, 2, glue(newReference(state, text)) + (second?.[2] ?? ''))
          locked.splice(i, 2, true)
        }
        break
      }
      case 'footnote': {
        const candidates = plainWords(tokens, locked, 3).filter((i: number): boolean => /[.,;:]$/.test(tokens[i] ?? ''))
        const i = candidates.length > 0 ? rng.pick(candidates) : tokens.length - 1
        const token = tokens[i] ?? ''
        const ref = newFootnote(state)
        const m = /^(.*?)([.,;:]?)$/u.exec(token)
        tokens[i] = rng.chance(0.7) ? `${m?.[1] ?? token}${ref}${m?.[2] ?? ''}` : `${token}${ref}`
        locked[i] = true
        break
      }
      case 'br': {
        const candidates = tokens.map((t: string, i: number): number => (/\.$/.test(t) && i < tokens.length - 1 ? i : -1)).filter((i: number): boolean => i >= 0)
        const i = candidates.length > 0 ? rng.pick(candidates) : tokens.length - 1
        tokens[i] = `${tokens[i] ?? ''}<br>${BREAK}`
        locked[i] = true
        break
      }
      case 'code':
      case 'image':
        break
    }
  }
  return tokens.join(' ')
}

function paragraph(state: PostState, features: readonly InlineFeature[], sentenceCount?: number): string[] {
  const count = sentenceCount ?? state.rng.int(2, 4)
  const sentences: string[] = []
  for (let i = 0; i < count; i++) sentences.push(themeSentence(state))
  return wrap(inlineText(state, sentences, features), state.rng.int(72, 80), '', '')
}

function randomFeatures(state: PostState, max: number): InlineFeature[] {
  const allowed = ALL_INLINE.filter((f: InlineFeature): boolean => (f !== 'footnote' || state.footnotes.length < 6) && (f !== 'image' || state.imageCount < 2))
  return state.rng.sample(allowed, state.rng.int(0, max))
}

function heading(state: PostState, level: 2 | 3, used: Set<string>): string[] {
  const pool = [...HEADINGS[state.theme], ...HEADINGS.general].filter((h: string): boolean => !used.has(h))
  let text = pool.length > 0 ? state.rng.pick(pool) : `Parte ${used.size + 1}`
  used.add(text)
  if (state.smartQuotes) text = text.replace(/'/g, '\u2019')
  if (state.theme === 'tech' && state.rng.chance(0.15)) text += ` con ${codeSpan(state.rng.pick(CODE_SENTENCES.tech.codes))}`
  else if (state.rng.chance(0.1)) text = `*${text}*`
  const hashes = '#'.repeat(level)
  return [state.rng.chance(0.05) ? `${hashes} ${text} ${hashes}` : `${hashes} ${text}`]
}

function setextHeading(state: PostState, used: Set<string>): string[] {
  const [line] = heading(state, 2, used)
  const text = (line ?? '## Parte').replace(/^## /, '').replace(/ ##$/, '')
  const char = state.rng.chance(0.7) ? '-' : '='
  return [text, char.repeat(state.rng.chance(0.5) ? text.length : state.rng.int(3, 12))]
}

function bulletList(state: PostState): string[] {
  const rng = state.rng
  const markers = rng.shuffle(['-', '*', '+'] as const)
  const [m0, m1, m2] = [markers[0] ?? '-', markers[1] ?? '*', markers[2] ?? '+']
  const loose = rng.chance(0.2)
  const items = LIST_ITEMS[state.theme]
  const lines: string[] = []
  const itemText = (long: boolean): string => {
    let text = sentence(state, items, false)
    text = text.charAt(0).toUpperCase() + text.slice(1)
    if (state.smartQuotes) text = text.replace(/'/g, '\u2019')
    if (long) {
      const more = themeSentence(state)
      text += ': ' + more.charAt(0).toLowerCase() + more.slice(1)
    }
    else text += rng.chance(0.5) ? ';' : ''
    return inlineText(state, [text], rng.chance(0.3) ? [rng.pick(['emStar', 'strongStar', 'emUnderscore', 'link'] as const)] : [])
  }
  const count = rng.int(3, 5)
  let nested = false
  for (let i = 0; i < count; i++) {
    if (loose && i > 0) lines.push('')
    lines.push(...wrap(itemText(rng.chance(0.4)), 80, `${m0} `, '  '))
    if (!nested && (i === count - 2 || rng.chance(0.3))) {
      nested = true
      const subCount = rng.int(2, 3)
      for (let j = 0; j < subCount; j++) {
        lines.push(...wrap(itemText(false), 80, `  ${m1} `, '    '))
        if (j === 0) {
          for (let k = 0; k < rng.int(1, 2); k++) lines.push(...wrap(itemText(false), 80, `    ${m2} `, '      '))
        }
      }
    }
  }
  return lines
}

function orderedList(state: PostState): string[] {
  const rng = state.rng
  const delimiter = rng.chance(0.8) ? '.' : ')'
  const steps = rng.sample(STEPS[state.theme], rng.int(3, 5))
  const lines: string[] = []
  steps.forEach((step: string, i: number): void => {
    const marker = `${i + 1}${delimiter} `
    const text = state.smartQuotes ? step.replace(/'/g, '\u2019') : step
    const extra = rng.chance(0.3) ? ' ' + themeSentence(state) : ''
    const features: InlineFeature[] = rng.chance(0.25) ? [rng.pick(['strongUnderscore', 'emUnderscore', 'code'] as const)] : []
    lines.push(...wrap(inlineText(state, [text + extra], features), 80, marker, ' '.repeat(marker.length)))
    if (i === 1 && rng.chance(0.4)) {
      const sub = rng.pick(['-', '*'] as const)
      for (const item of rng.sample(LIST_ITEMS[state.theme], 2)) lines.push(`${' '.repeat(marker.length)}${sub} ${item}`)
    }
  })
  return lines
}

function blockquote(state: PostState): string[] {
  const rng = state.rng
  const lines: string[] = []
  const kind = rng.int(0, 2)
  if (kind === 0) {
    const quote = rng.pick(QUOTES)
    lines.push(...wrap(`«${quote.text}»`, 78, '> ', '> '), '>', `> — ${fill(quote.author, rng)}`)
  } else if (kind === 1) {
    lines.push(...wrap(inlineText(state, [themeSentence(state), themeSentence(state)], rng.chance(0.5) ? ['emStar'] : []), 78, '> ', '> '))
    lines.push('>')
    for (const item of rng.sample(LIST_ITEMS[state.theme], rng.int(2, 3))) lines.push(`> - ${item}`)
  } else {
    lines.push(...wrap(`${fill('{persona}', rng)} ci ha raccontato: «${themeSentence(state)} ${themeSentence(state)}»`, 78, '> ', '> '))
    if (rng.chance(0.5)) {
      lines.push('>')
      lines.push(...wrap(inlineText(state, [themeSentence(state)], ['strongStar']), 78, '> ', '> '))
    }
  }
  return lines
}

function table(state: PostState): string[] {
  const rng = state.rng
  const t = TABLES[state.theme]
  const rows = rng.sample(t.rows, rng.int(3, 5))
  const outer = rng.chance(0.9)
  const row = (cells: readonly string[]): string => (outer ? `| ${cells.join(' | ')} |` : cells.join(' | '))
  const align = rng.chance(0.7) ? [':---', ':---:', '---:'] : [':---', '---', '---:']
  return [row(t.head), row(align), ...rows.map(row)]
}

function codeBlock(state: PostState, lang: string | undefined): string[] {
  const rng = state.rng
  const pool = lang === undefined ? CODE_BLOCKS : CODE_BLOCKS.filter((c: {lang: string}): boolean => c.lang === lang)
  const block = rng.pick(pool)
  const fence = lang === undefined && rng.chance(0.3) ? '~~~' : '```'
  return [`${fence}${block.lang}`, ...block.lines, fence]
}

function htmlBlock(state: PostState): string[] {
  const rng = state.rng
  const kind = rng.int(0, 2)
  const text = themeSentence(state)
  if (kind === 0) return [`<div class="nota">`, `<strong>Nota:</strong> ${text}`, '</div>']
  if (kind === 1) return [`<div class="nota">`, '', ...paragraph(state, ['strongStar'], 2), '', '</div>']
  return [`<div class="nota"><p>${text}</p></div>`]
}

function liquidOrHugo(state: PostState, kind: 'liquid' | 'hugo'): string[] {
  const rng = state.rng
  if (kind === 'liquid') {
    const alt = fill(rng.pick(IMAGE_ALTS[state.theme]), rng)
    return [`{% include figura.html src="/img/${slugify(alt).slice(0, 20)}.jpg" didascalia="${alt}" %}`]
  }
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-'
  let id = ''
  for (let i = 0; i < 11; i++) id += alphabet.charAt(rng.int(0, alphabet.length - 1))
  return rng.chance(0.6) ? [`{{< youtube ${id} >}}`] : [`{{< figure src="/img/${id}.jpg" title="${fill(rng.pick(IMAGE_ALTS[state.theme]), rng)}" >}}`]
}

function frontMatter(state: PostState, title: string, date: string, draft: boolean): string[] {
  const rng = state.rng
  const lines = ['---']
  if (rng.chance(0.3)) lines.push(`title: '${title.replace(/'/g, '\'\'')}'`)
  else lines.push(`title: "${title.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`)
  const description = rng.pick(DESCRIPTIONS)
  lines.push(`description: "${state.smartQuotes ? description.replace(/'/g, '\u2019') : description}"`)
  lines.push(`date: ${date}`)
  if (rng.chance(0.3)) lines.push(`autore: ${fill('{persona}', rng)}`)
  const tags = rng.sample(state.section.tags, rng.int(2, 4))
  if (rng.chance(0.3)) lines.push(`tags: [${tags.join(', ')}]`)
  else lines.push('tags:', ...tags.map((t: string): string => `  - ${t}`))
  if (draft) lines.push('draft: false')
  lines.push('---')
  return lines
}

function formatDate(epochDay: number, withTime: boolean, rng: Rng): string {
  const iso = new Date(epochDay * 86400000).toISOString().slice(0, 10)
  if (!withTime) return iso
  const hh = String(rng.int(7, 21)).padStart(2, '0')
  const mm = String(rng.pick([0, 15, 30, 45])).padStart(2, '0')
  return `${iso}T${hh}:${mm}:00+01:00`
}

function definitions(state: PostState): string[] {
  const out: string[] = []
  const footnotes: string[] = []
  for (const f of state.footnotes) {
    footnotes.push(...wrap(f.text, 80, `[^${f.label}]: `, '    '))
    if (f.extra !== undefined) footnotes.push('', ...wrap(f.extra, 80, '    ', '    '))
  }
  const refs = state.refs.map((r: RefDefinition): string => {
    const url = r.style === 'angle' ? `<${r.url}>` : r.url
    const title = r.title === undefined ? '' : r.style === 'single' ? ` '${r.title}'` : r.style === 'paren' ? ` (${r.title})` : ` "${r.title}"`
    return `[${r.label}]: ${url}${title}`
  })
  const blocks = [footnotes, refs].filter((b: string[]): boolean => b.length > 0)
  const ordered = state.rng.chance(0.5) ? blocks : blocks.reverse()
  ordered.forEach((b: string[], i: number): void => {
    if (i > 0) out.push('')
    out.push(...b)
  })
  return out
}

/**
 * Generates post number `index` (0-based) of the corpus for `seed`, aiming at `sizeBytes` bytes.
 * Independent of the other posts: the same (seed, index, sizeBytes) always gives the same post.
 */
export function generatePost(seed: number, index: number, sizeBytes = 5000): GeneratedPost {
  const rng = new Rng(mix32(seed >>> 0, index))
  const section = SECTIONS[index % SECTIONS.length]
  if (section === undefined) throw new Error('no sections')
  const state: PostState = {rng, section, theme: section.theme, smartQuotes: rng.chance(0.2), decks: new Map(), footnotes: [], refs: [], imageCount: 0}
  const title = fill(rng.pick(TITLES[section.theme]), rng)
  // A fixed base date from the seed (2015-01-01 plus up to ~4 years), then one post every 1–3 days.
  const baseDay = 16436 + (mix32(seed >>> 0, 0x5eed) % 1500)
  const date = formatDate(baseDay + index * 2 + rng.int(0, 1), rng.chance(0.25), rng)
  const crlf = rng.chance(0.05)
  const draft = rng.chance(0.4)
  // The constructs every post must have weigh about 4 KB: the offset keeps posts of the default
  // size centred on it, since a post never ends before it has them all.
  const target = sizeBytes * (0.9 + 0.2 * rng.float()) - 700

  const blocks: string[][] = []
  let bytes = 0
  const push = (block: string[]): void => {
    blocks.push(block)
    bytes += Buffer.byteLength(block.join('\n'), 'utf8') + 2
  }
  /** Bytes written so far, with an estimate of the definitions still to come at the end. */
  const size = (): number => bytes + 90 * state.footnotes.length + 75 * state.refs.length

  push(frontMatter(state, state.smartQuotes ? title.replace(/'/g, '\u2019') : title, date, draft))
  const needs: InlineFeature[] = rng.shuffle(ALL_INLINE)
  const takeNeeds = (n: number): InlineFeature[] => needs.splice(0, n)
  const nextFeatures = (): InlineFeature[] => (needs.length > 0 ? takeNeeds(rng.int(2, 3)) : randomFeatures(state, 2))
  push(paragraph(state, takeNeeds(3)))
  if (rng.chance(0.15)) push(['<!--more-->'])

  // Every post has each of these once; some posts have the optional ones too.
  const mandatory: (() => string[])[] = rng.shuffle([
    (): string[] => bulletList(state),
    (): string[] => orderedList(state),
    (): string[] => blockquote(state),
    (): string[] => table(state),
    (): string[] => codeBlock(state, 'js'),
    (): string[] => htmlBlock(state),
    (): string[] => [imageMarkup(state), ...(rng.chance(0.3) ? ['{: .centrato}'] : [])],
    ...(rng.chance(0.3) ? [(): string[] => liquidOrHugo(state, 'liquid')] : []),
    ...(rng.chance(0.3) ? [(): string[] => liquidOrHugo(state, 'hugo')] : []),
    ...(rng.chance(0.3) ? [(): string[] => codeBlock(state, undefined)] : [])
  ])
  const setextAt = rng.chance(0.2) ? rng.int(2, 3) : -1
  let ialLeft = rng.chance(0.2) ? 1 : 0
  const used = new Set<string>()
  /** Rough size of one mandatory block, to keep room for those not yet written. */
  const blockCost = 260

  let h2 = 0
  let h3 = 0
  let sinceHeading = 99
  let headingEvery = rng.int(2, 4)
  for (;;) {
    const done = mandatory.length === 0 && needs.length === 0
    if (done && size() >= target - 100) break
    if (sinceHeading >= headingEvery && !(done && target - size() < 500)) {
      // The first heading is a `##`, the second a `###`, then either.
      if (h2 === 0 || (h3 > 0 && rng.chance(0.65))) {
        h2 += 1
        push(h2 === setextAt ? setextHeading(state, used) : heading(state, 2, used))
      } else {
        h3 += 1
        push(heading(state, 3, used))
      }
      sinceHeading = 0
      headingEvery = rng.int(2, 4)
      // A section starts with prose.
      push(paragraph(state, nextFeatures()))
    } else if (mandatory.length > 0 && (target - size() < blockCost * (mandatory.length + 1) || rng.chance(0.5))) {
      const make = mandatory.shift()
      if (make !== undefined) push(make())
    } else {
      const para = paragraph(state, nextFeatures(), needs.length > 0 || target - size() > 600 ? undefined : rng.int(1, 2))
      if (ialLeft > 0 && rng.chance(0.5)) {
        para.push(`{: ${rng.pick(IAL_CLASSES)}}`)
        ialLeft -= 1
      }
      push(para)
      if (rng.chance(0.05)) push([rng.pick(['---', '* * *', '***'])])
    }
    sinceHeading += 1
  }
  const defs = definitions(state)
  if (defs.length > 0) push(defs)

  let text = blocks.map((b: string[]): string => b.join('\n')).join('\n\n') + '\n'
  if (crlf) text = text.replace(/\n/g, '\r\n')
  const slug = `${String(index + 1).padStart(4, '0')}-${slugify(title)}`
  const folder = section.subfolders.length > 0 && rng.chance(0.3) ? `${section.name}/${rng.pick(section.subfolders)}` : section.name
  return {path: `${folder}/${slug}.md`, text}
}

/**
 * Writes `options.posts` generated posts under `options.dir/content/it/`, creating folders as
 * needed, and returns how many files and bytes it wrote. Deterministic for a given seed and size.
 */
export async function generateCorpus(options: CorpusOptions): Promise<CorpusSummary> {
  const seed = options.seed ?? 42
  const sizeBytes = options.sizeBytes ?? 5000
  const root = join(options.dir, 'content', 'it')
  if (!Number.isInteger(options.posts) || options.posts < 0) throw new Error(`posts must be a non-negative integer, got ${options.posts}`)
  if (!(sizeBytes > 0)) throw new Error(`sizeBytes must be positive, got ${sizeBytes}`)
  if (options.clean === true) await rm(root, {recursive: true, force: true})
  const made = new Set<string>()
  let bytes = 0
  const batch = 64
  for (let start = 0; start < options.posts; start += batch) {
    const posts: GeneratedPost[] = []
    for (let i = start; i < Math.min(options.posts, start + batch); i++) posts.push(generatePost(seed, i, sizeBytes))
    for (const post of posts) {
      const folder = dirname(join(root, post.path))
      if (!made.has(folder)) {
        await mkdir(folder, {recursive: true})
        made.add(folder)
      }
    }
    await Promise.all(posts.map(async (post: GeneratedPost): Promise<void> => {
      const data = Buffer.from(post.text, 'utf8')
      bytes += data.length
      await writeFile(join(root, post.path), data)
    }))
  }
  return {files: options.posts, bytes}
}

// ---------------------------------------------------------------------------------------------
// Command line

function parseArgs(argv: readonly string[]): CorpusOptions {
  const options: {dir?: string, posts?: number, seed?: number, sizeBytes?: number, clean?: boolean} = {}
  const number = (flag: string, value: string | undefined): number => {
    const n = Number(value)
    if (value === undefined || !Number.isFinite(n)) throw new Error(`${flag} needs a number`)
    return n
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    switch (arg) {
      case '--out': {
        const dir = argv[++i]
        if (dir === undefined) throw new Error('--out needs a folder')
        options.dir = dir
        break
      }
      case '--posts': options.posts = number(arg, argv[++i]); break
      case '--seed': options.seed = number(arg, argv[++i]); break
      case '--size': options.sizeBytes = number(arg, argv[++i]); break
      case '--clean': options.clean = true; break
      default: throw new Error(`unknown argument ${arg ?? ''}`)
    }
  }
  if (options.dir === undefined) throw new Error('--out DIR is required')
  return {dir: options.dir, posts: options.posts ?? 1000, ...(options.seed === undefined ? {} : {seed: options.seed}), ...(options.sizeBytes === undefined ? {} : {sizeBytes: options.sizeBytes}), ...(options.clean === undefined ? {} : {clean: options.clean})}
}

function isMain(): boolean {
  const script = process.argv[1]
  if (script === undefined) return false
  try {
    return realpathSync(resolve(script)) === realpathSync(fileURLToPath(import.meta.url))
  } catch {
    return false
  }
}

if (isMain()) {
  const usage = 'usage: node --import tsx scripts/generate-corpus.ts --out DIR [--posts 1000] [--seed 42] [--size 5000] [--clean]'
  let options: CorpusOptions
  try {
    options = parseArgs(process.argv.slice(2))
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${usage}\n`)
    process.exit(2)
  }
  const started = process.hrtime.bigint()
  const summary = await generateCorpus(options)
  const seconds = Number(process.hrtime.bigint() - started) / 1e9
  process.stdout.write(`generated ${summary.files} posts, ${summary.bytes} bytes (${(summary.bytes / 1e6).toFixed(2)} MB) in ${join(options.dir, 'content', 'it')} in ${seconds.toFixed(2)} s (seed ${options.seed ?? 42}, size ${options.sizeBytes ?? 5000})\n`)
}
