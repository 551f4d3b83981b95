// Common Slack emoji shortcodes. Unknown shortcodes stay as text (Slack shows custom emoji we do not have).
const E = {
  // status / check marks
  white_check_mark: '✅', heavy_check_mark: '✔️', ballot_box_with_check: '☑️', check: '✔️', x: '❌', negative_squared_cross_mark: '❎',
  heavy_multiplication_x: '✖️', warning: '⚠️', no_entry: '⛔', no_entry_sign: '🚫', exclamation: '❗', heavy_exclamation_mark: '❗',
  grey_exclamation: '❕', question: '❓', grey_question: '❔', bangbang: '‼️', interrobang: '⁉️', information_source: 'ℹ️',
  sos: '🆘', new: '🆕', ok: '🆗', free: '🆓', up: '🆙', cool: '🆒', top: '🔝', soon: '🔜', end: '🔚', back: '🔙',
  // circles & shapes
  large_green_circle: '🟢', green_circle: '🟢', red_circle: '🔴', large_red_circle: '🔴', large_blue_circle: '🔵', blue_circle: '🔵',
  large_yellow_circle: '🟡', yellow_circle: '🟡', large_orange_circle: '🟠', orange_circle: '🟠', large_purple_circle: '🟣',
  purple_circle: '🟣', large_brown_circle: '🟤', brown_circle: '🟤', white_circle: '⚪', black_circle: '⚫', radio_button: '🔘',
  large_green_square: '🟩', green_square: '🟩', large_red_square: '🟥', red_square: '🟥', large_yellow_square: '🟨', yellow_square: '🟨',
  large_blue_square: '🟦', blue_square: '🟦', large_orange_square: '🟧', orange_square: '🟧', white_large_square: '⬜',
  black_large_square: '⬛', white_small_square: '▫️', black_small_square: '▪️', small_blue_diamond: '🔹', small_orange_diamond: '🔸',
  large_blue_diamond: '🔷', large_orange_diamond: '🔶', small_red_triangle: '🔺', small_red_triangle_down: '🔻',
  // media controls / arrows
  double_vertical_bar: '⏸️', pause_button: '⏸️', arrow_forward: '▶️', play_or_pause_button: '⏯️', black_square_for_stop: '⏹️',
  stop_button: '⏹️', record_button: '⏺️', fast_forward: '⏩', rewind: '⏪', repeat: '🔁', arrows_counterclockwise: '🔄',
  arrows_clockwise: '🔃', arrow_up: '⬆️', arrow_down: '⬇️', arrow_left: '⬅️', arrow_right: '➡️', arrow_upper_right: '↗️',
  arrow_lower_right: '↘️', arrow_upper_left: '↖️', arrow_lower_left: '↙️', arrow_up_small: '🔼', arrow_down_small: '🔽',
  arrow_heading_up: '⤴️', arrow_heading_down: '⤵️', leftwards_arrow_with_hook: '↩️', arrow_right_hook: '↪️',
  // time
  hourglass_flowing_sand: '⏳', hourglass: '⌛', stopwatch: '⏱️', timer_clock: '⏲️', alarm_clock: '⏰', clock1: '🕐', clock3: '🕒',
  calendar: '📆', date: '📅', spiral_calendar_pad: '🗓️', spiral_calendar: '🗓️',
  // faces
  thinking_face: '🤔', smile: '😄', smiley: '😃', grinning: '😀', slightly_smiling_face: '🙂', blush: '😊', wink: '😉', joy: '😂',
  laughing: '😆', sweat_smile: '😅', rolling_on_the_floor_laughing: '🤣', heart_eyes: '😍', sunglasses: '😎', neutral_face: '😐',
  expressionless: '😑', confused: '😕', worried: '😟', slightly_frowning_face: '🙁', disappointed: '😞', cry: '😢', sob: '😭',
  scream: '😱', flushed: '😳', open_mouth: '😮', astonished: '😲', face_with_monocle: '🧐', nerd_face: '🤓', upside_down_face: '🙃',
  face_palm: '🤦', facepalm: '🤦', shrug: '🤷', man_shrugging: '🤷‍♂️', woman_shrugging: '🤷‍♀️', zany_face: '🤪', star_struck: '🤩',
  partying_face: '🥳', hugging_face: '🤗', hugs: '🤗', zipper_mouth_face: '🤐', raised_eyebrow: '🤨', face_with_raised_eyebrow: '🤨',
  grimacing: '😬', relieved: '😌', sleeping: '😴', sleepy: '😪', robot_face: '🤖', robot: '🤖', ghost: '👻', skull: '💀',
  // hands / people
  '+1': '👍', thumbsup: '👍', '-1': '👎', thumbsdown: '👎', ok_hand: '👌', clap: '👏', wave: '👋', raised_hands: '🙌', pray: '🙏',
  muscle: '💪', point_right: '👉', point_left: '👈', point_up: '☝️', point_up_2: '👆', point_down: '👇', raised_hand: '✋', hand: '✋',
  v: '✌️', crossed_fingers: '🤞', handshake: '🤝', writing_hand: '✍️', eyes: '👀', eye: '👁️', brain: '🧠', bust_in_silhouette: '👤',
  busts_in_silhouette: '👥', man: '👨', woman: '👩', person_raising_hand: '🙋', raising_hand: '🙋',
  // hearts & celebration
  heart: '❤️', green_heart: '💚', blue_heart: '💙', yellow_heart: '💛', purple_heart: '💜', orange_heart: '🧡', black_heart: '🖤',
  broken_heart: '💔', sparkling_heart: '💖', tada: '🎉', confetti_ball: '🎊', balloon: '🎈', gift: '🎁', trophy: '🏆',
  sports_medal: '🏅', medal: '🏅', first_place_medal: '🥇', second_place_medal: '🥈', third_place_medal: '🥉', star: '⭐',
  star2: '🌟', sparkles: '✨', dizzy: '💫', boom: '💥', collision: '💥', fire: '🔥', zap: '⚡', sunny: '☀️', cloud: '☁️',
  rainbow: '🌈', snowflake: '❄️', umbrella: '☂️', droplet: '💧', ocean: '🌊', 100: '💯', hundred_points: '💯',
  // business / charts / money
  chart_with_upwards_trend: '📈', chart_with_downwards_trend: '📉', bar_chart: '📊', moneybag: '💰', money_with_wings: '💸',
  dollar: '💵', euro: '💶', pound: '💷', yen: '💴', credit_card: '💳', heavy_dollar_sign: '💲', chart: '💹', briefcase: '💼',
  bank: '🏦', shopping_trolley: '🛒', shopping_cart: '🛒', shopping_bags: '🛍️', receipt: '🧾', label: '🏷️', bookmark: '🔖',
  // objects / tools
  rocket: '🚀', bulb: '💡', mag: '🔍', mag_right: '🔎', lock: '🔒', unlock: '🔓', closed_lock_with_key: '🔐', key: '🔑',
  old_key: '🗝️', link: '🔗', paperclip: '📎', pushpin: '📌', round_pushpin: '📍', memo: '📝', pencil: '📝', pencil2: '✏️',
  clipboard: '📋', page_facing_up: '📄', page_with_curl: '📃', bookmark_tabs: '📑', books: '📚', book: '📖', notebook: '📓',
  card_index: '📇', file_folder: '📁', open_file_folder: '📂', wastebasket: '🗑️', package: '📦', inbox_tray: '📥',
  outbox_tray: '📤', email: '📧', envelope: '✉️', incoming_envelope: '📨', mailbox: '📫', bell: '🔔', no_bell: '🔕',
  loudspeaker: '📢', mega: '📣', speech_balloon: '💬', thought_balloon: '💭', left_speech_bubble: '🗨️', gear: '⚙️',
  wrench: '🔧', hammer: '🔨', hammer_and_wrench: '🛠️', nut_and_bolt: '🔩', toolbox: '🧰', magnet: '🧲', test_tube: '🧪',
  microscope: '🔬', telescope: '🔭', satellite: '📡', computer: '💻', desktop_computer: '🖥️', keyboard: '⌨️', iphone: '📱',
  phone: '☎️', telephone_receiver: '📞', camera: '📷', camera_with_flash: '📸', video_camera: '📹', movie_camera: '🎥',
  clapper: '🎬', tv: '📺', radio: '📻', headphones: '🎧', microphone: '🎤', art: '🎨', frame_with_picture: '🖼️',
  dart: '🎯', game_die: '🎲', jigsaw: '🧩', battery: '🔋', electric_plug: '🔌', hourglass_done: '⌛', flashlight: '🔦',
  shield: '🛡️', crossed_swords: '⚔️', scales: '⚖️', globe_with_meridians: '🌐', earth_americas: '🌎', earth_africa: '🌍',
  world_map: '🗺️', house: '🏠', office: '🏢', factory: '🏭', construction: '🚧', rotating_light: '🚨', traffic_light: '🚥',
  vertical_traffic_light: '🚦', checkered_flag: '🏁', triangular_flag_on_post: '🚩', white_flag: '🏳️', flag_white: '🏳️',
  checkered: '🏁', anchor: '⚓', airplane: '✈️', car: '🚗', bike: '🚲', ship: '🚢', seedling: '🌱', herb: '🌿', four_leaf_clover: '🍀',
  evergreen_tree: '🌲', deciduous_tree: '🌳', cactus: '🌵', sunflower: '🌻', rose: '🌹', tulip: '🌷', coffee: '☕', tea: '🍵',
  beer: '🍺', beers: '🍻', wine_glass: '🍷', champagne: '🍾', pizza: '🍕', hamburger: '🍔', cake: '🍰', birthday: '🎂',
  cookie: '🍪', doughnut: '🍩', apple: '🍎', lemon: '🍋', tomato: '🍅', popcorn: '🍿', crystal_ball: '🔮', magic_wand: '🪄',
  dog: '🐶', cat: '🐱', unicorn_face: '🦄', unicorn: '🦄', bee: '🐝', honeybee: '🐝', bug: '🐛', turtle: '🐢', snail: '🐌',
  rabbit: '🐰', owl: '🦉', penguin: '🐧', fox_face: '🦊', panda_face: '🐼', tiger: '🐯', lion_face: '🦁', monkey_face: '🐵',
  see_no_evil: '🙈', hear_no_evil: '🙉', speak_no_evil: '🙊', octopus: '🐙', whale: '🐳', chicken: '🐔', feet: '🐾',
  // symbols
  heavy_plus_sign: '➕', heavy_minus_sign: '➖', heavy_division_sign: '➗', infinity: '♾️', recycle: '♻️', copyright: '©️',
  registered: '®️', tm: '™️', hash: '#️⃣', zero: '0️⃣', one: '1️⃣', two: '2️⃣', three: '3️⃣', four: '4️⃣', five: '5️⃣', six: '6️⃣',
  seven: '7️⃣', eight: '8️⃣', nine: '9️⃣', keycap_ten: '🔟', abc: '🔤', capital_abcd: '🔠', abcd: '🔡', '1234': '🔢',
  symbols: '🔣', on: '🔛', arrows_up_down: '↕️', left_right_arrow: '↔️', twisted_rightwards_arrows: '🔀', loop: '➿',
  curly_loop: '➰', wavy_dash: '〰️', heavy_heart_exclamation_mark_ornament: '❣️', zzz: '💤', dash: '💨', sweat_drops: '💦',
  speaking_head_in_silhouette: '🗣️', speaking_head: '🗣️', mute: '🔇', sound: '🔉', loud_sound: '🔊', no_mobile_phones: '📵',
  red_flag: '🚩', pin: '📌', trident: '🔱', beginner: '🔰', o: '⭕', white_medium_square: '◻️', black_medium_square: '◼️',
}

export const EMOJI = Object.freeze(E)

/** Unicode for a shortcode name ("tada"), or null. Skin tones are dropped. */
export function emojiFor(name) {
  const n = String(name).toLowerCase().replace(/::skin-tone-\d$/, '')
  return Object.hasOwn(E, n) ? E[n] : null
}

/** Replaces known :shortcodes: in plain text (for plain_text objects with emoji !== false). */
export function emojify(text) {
  return String(text).replace(/:([a-z0-9_+'-]+):(?::skin-tone-\d:)?/gi, (m, name) => emojiFor(name) ?? m)
}
