// Original English and Chinese texts written for these tests (no third-party
// works), several paragraphs each, on unrelated subjects so that unrelated
// pairs share only ordinary function words.

export const ENGLISH: Readonly<Record<string, string>> = {
  lighthouse: `The lighthouse on Gull Point was built in 1871 from granite quarried two miles inland and hauled to the cliff on sledges pulled by oxen. Its first keeper, a retired schoolteacher named Abel Marsh, kept a logbook in which he recorded the weather, the ships he sighted, and the price of lamp oil every single day for thirty-one years.

When the lens arrived from Paris it came in eleven crates packed with straw, and Marsh wrote that unpacking it felt like opening a cathedral one window at a time. The glass prisms bent the light of a single wick into a beam that sailors claimed to see from nineteen miles out on a clear night.

Storms were the keeper's real employer. During the great gale of 1883 the waves threw stones against the lantern room, and Marsh spent the night wiping salt from the panes with his own shirt because the cloths had run out. In the morning he found a fishing boat sheltering in the cove below, its crew alive and astonished.

The station was automated in 1962. Today the logbooks sit in the county archive, and visitors who climb the spiral stairs can still read the initials that Marsh carved into the railing on the night the light was first lit.`,

  bread: `Sourdough bread depends on a culture of wild yeast and lactic acid bacteria that bakers keep alive by feeding it flour and water on a regular schedule. The bacteria produce the sour flavour, while the yeast produces the gas that makes the dough rise, and the balance between them changes with temperature.

A warm kitchen favours the yeast and gives a milder loaf with an open crumb. A cool kitchen slows everything down and lets the acids build up, which is why many bakers leave their dough in the refrigerator overnight before shaping it in the morning.

Hydration is the ratio of water to flour by weight. Beginners often start around sixty five percent because wetter dough is sticky and hard to handle, but experienced bakers push past eighty percent to get large irregular holes. Stretching and folding the dough every half hour builds strength without kneading.

The crust forms in the first minutes of baking, so steam matters. A covered cast iron pot traps the moisture released by the dough, keeps the surface soft long enough for the loaf to expand, and then the lid comes off so the crust can darken and crackle as it cools on the rack.`,

  chess: `Chess engines improved slowly for decades and then suddenly. Early programs searched every legal move a few turns deep and scored the resulting positions with hand written rules about material, mobility and king safety. Grandmasters beat them by steering the game toward long plans that the search horizon could not see.

Alpha beta pruning changed the arithmetic. By proving that some branches could never be chosen by a rational opponent, a program could skip most of the tree and look twice as deep in the same time. Faster hardware did the rest, and by the late nineties a machine defeated the world champion in a match.

The next shift came from learning rather than searching. Networks trained only by playing against themselves discovered openings that humans had dismissed and sacrificed material for positional pressure in ways that looked reckless until the final moves. Commentators described the style as alien and beautiful.

Human players adapted. Preparation now means checking ideas against an engine at home, and the best players memorise long forcing lines. Yet over the board, under a ticking clock, intuition still decides most games, because no one can remember everything the machine knows.`,

  river: `The river rises in a peat bog high on the moor, where the water is brown with tannins and so cold in spring that it numbs the hand in seconds. For the first few miles it is hardly more than a ditch, and sheep step across it without breaking stride.

Below the old mill the valley narrows and the river gathers speed over a staircase of ledges. Dippers bob on the wet rocks and walk underwater in search of larvae, and in autumn salmon can be seen resting in the deep pools before they attempt the falls.

The town grew up at the first place where a bridge could be built on solid rock. Wool merchants paid for the stone arches in the fifteenth century, and their marks are still cut into the parapet, worn smooth by five hundred years of elbows and carts.

Floods return every decade or so. The water climbs the steps of the church, fills the cellars of the high street, and leaves a line of silt on the walls that the residents paint over with a kind of weary pride, adding the new date to the list beside the door.`,

  garden: `Composting turns kitchen scraps and garden waste into dark crumbly soil, but only if the heap gets the right mixture of greens and browns. Greens such as grass clippings and vegetable peelings supply nitrogen, while browns such as dry leaves, straw and cardboard supply carbon and keep the pile from turning into a slimy mess.

Air is the other ingredient people forget. Microbes that break down waste quickly need oxygen, so a heap should be turned with a fork every week or two. A well managed pile heats up to sixty degrees in its centre, hot enough to kill most weed seeds.

Worms take over when the heat fades. Red wigglers arrive on their own in an open heap, or they can be bought and kept in a bin under the sink, where they eat their own weight in scraps every day and produce castings that seedlings love.

After six months to a year the compost should smell like a forest floor. Sieve out the sticks that have not rotted, spread the rest on the beds in autumn, and let the rain and the frost work it into the ground before spring planting begins.`,

  orbit: `A satellite in low orbit is always falling. It travels sideways so fast, about seven and a half kilometres every second, that the curve of its fall matches the curve of the planet, and the ground drops away beneath it as quickly as it descends.

Thin traces of atmosphere still reach that altitude, and the drag slowly steals energy. Without periodic boosts from its thrusters a station would spiral lower each month until it burned up, which is why supply ships carry fuel as well as food and scientific equipment.

Higher orbits are quieter but more expensive to reach. Geostationary satellites sit thirty six thousand kilometres above the equator, where one orbit takes exactly one day, so they appear to hang motionless in the sky and dishes on rooftops can point at them without moving.

Debris is the growing problem. Fragments from old collisions and tests circle the planet at speeds that turn a loose bolt into a bullet, and operators now spend a surprising part of their time calculating whether to move a spacecraft out of the path of something they cannot even see.`,
};

export const CHINESE: Readonly<Record<string, string>> = {
  teahouse: `老城东门外有一家开了六十多年的茶馆，木楼梯踩上去吱呀作响，墙上挂着泛黄的戏单。每天清晨五点半，掌柜就把炉子生起来，铜壶里的水烧得咕嘟咕嘟响，熟客们提着鸟笼陆续进门，各自坐到自己常坐的位置上。

茶馆里最热闹的是上午。说书先生一拍醒木，讲的还是那几段老故事，可大家照样听得津津有味。有人一边嗑瓜子一边插话，有人闭着眼睛跟着节奏轻轻点头，跑堂的小伙子端着茶盘在桌椅之间穿来穿去，从来不会洒出一滴水。

后来街道拓宽，周围的老房子一栋接一栋拆掉了，只有这家茶馆被留了下来。年轻人拿着手机来拍照，老人们却说味道变了，因为原来的井水换成了自来水。掌柜笑笑不争辩，只是每天照旧五点半生火，好像什么都没有发生过。`,

  rice: `南方的梯田是一代又一代农民用双手在山坡上开出来的。每一块田都顺着山势弯曲，窄的地方只能插几行秧苗，宽的地方可以让耕牛转身。春天灌满水以后，整座山像是铺满了镜子，天上的云一朵一朵倒映在田里。

种稻最要紧的是水。山顶的森林涵养着泉水，村民修了竹管和小渠，把水一级一级引下来，上面的田满了再流到下面的田。谁家什么时候放水、放多少，都有祖辈传下来的规矩，几百年来很少因为争水吵架。

到了秋天，稻穗压弯了腰，全村的人一起下田收割。孩子们在田埂上追蚂蚱，老人坐在树荫下编竹筐。新米煮出来的饭格外香，家家户户都要先盛一碗供在祖先牌位前，然后才端上自家的饭桌。`,

  bridge: `这座石拱桥建于明朝，全长四十多米，由一块块青石砌成，没有用一根钉子。桥面中间微微拱起，两侧的石栏杆上雕着狮子，每一只的神态都不一样，有的回头张望，有的抱着小狮子，据说当年的石匠故意不让任何两只重复。

桥下的河水常年不断，从前是附近几个镇子运粮运盐的要道。货船经过桥洞时，船工要把桅杆放倒，弯着腰撑篙，动作稍慢一点就会撞上拱顶。桥头有一块石碑，记着历次修桥捐钱的人家，字迹大多已经模糊了。

上世纪发大水那一年，下游的好几座新桥都被冲垮了，这座老桥却一点没事。工程师来考察以后说，拱形把压力分散到了两岸的基石上，洪水越大，桥身反而压得越紧。从那以后，当地人更加相信老祖宗的手艺。`,

  starlight: `天文台建在离城市两百公里的高山上，因为那里空气稀薄干燥，夜里几乎没有灯光干扰。观测员一般要在山上连续值班两个星期，白天睡觉，晚上守在控制室里，盯着屏幕上一点一点拼出来的星空图像。

望远镜的主镜直径有四米，是用特殊玻璃浇铸以后再慢慢冷却成形的，光是退火就花了将近一年。镜面的误差不能超过头发丝的几百分之一，否则遥远星系的光就会变得模糊。每隔一段时间，工作人员还要给镜面重新镀上一层铝膜。

最让人激动的是发现新天体的那一刻。软件把前后几个晚上的图像叠在一起比较，如果某个光点的位置发生了变化，就可能是一颗从未被记录过的小行星。观测员会立刻复核，再把数据发给国际组织，等待编号和命名。`,

  paper: `造纸术传到各地以后，不同地方的纸各有特色。江南一带用竹子造纸，先把嫩竹砍下来泡在石灰水里，几个月后竹子烂软了，再放进石臼里反复捶打，直到变成细细的纸浆。整个过程又脏又累，却是许多山村世代相传的营生。

抄纸是最考验功夫的一步。师傅双手端着竹帘，在纸浆槽里轻轻一荡，薄薄的一层纤维就均匀地铺在帘子上。力气大了纸会太厚，力气小了又会破洞，好的师傅一天能抄上千张，每一张的厚薄几乎完全相同。

湿纸一张张叠起来压去水分，再贴到烧热的火墙上烘干。书画家特别看重这种手工纸，说它吸墨均匀，放上几百年也不会发黄变脆。如今机器造纸又快又便宜，会这门手艺的人越来越少，一些村子开始办作坊，请老师傅带徒弟。`,
};

/** Replacement vocabulary for edits: ordinary English words and common Han characters. */
export const ENGLISH_VOCAB: readonly string[] = (
  'apple window silver morning quickly hidden market yellow garden engine paper ocean basket violin quiet ' +
  'copper lantern thunder meadow pencil harbor ribbon castle mirror pillow saddle tunnel velvet whistle'
).split(' ');

export const CHINESE_VOCAB: readonly string[] = Array.from('山水花鸟风云月日天地人心手口目耳金木火土春夏秋冬东西南北红黄蓝绿白黑大小多少');
