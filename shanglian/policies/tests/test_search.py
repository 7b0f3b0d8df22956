"""Chinese full-text search: substrings of any length, 文号, ranking, AND of words, literal special
characters, scope, the index following edits, and escaped highlighting — on SQLite and PostgreSQL."""

import importlib

import pytest
from django.db import connection

from shanglian.common.models import DictItem
from shanglian.policies import search
from shanglian.policies.models import Policy
from shanglian.policies.search import highlight, search_policies, snippet
from shanglian.policies.selectors import policy_list
from shanglian.policies.services import save_policy


@pytest.fixture
def library(cast):
    def add(title, document_number="", summary="", full_text=""):
        return save_policy(actor=cast.users.staff, data={
            "title": title, "department": cast.dept1, "document_number": document_number,
            "summary": summary, "full_text": full_text,
            "benefit_type": DictItem.objects.get(kind="benefit_type", code="finance"),
        })

    return add


def found(text, queryset=None):
    return list(search_policies(queryset if queryset is not None else Policy.objects.all(), text))


def titles(text, queryset=None):
    return [p.title for p in found(text, queryset)]


@pytest.mark.django_db
class TestFinding:
    def test_two_character_word_is_found_anywhere_in_any_field(self, library):
        library("创业担保贷款贴息", summary="对小微企业给予支持。")  # at the very end of the title
        library("稳岗返还", full_text="企业申请贴息的，按季度拨付。")  # in the middle of the full text
        library("科技型企业研发补助", summary="补助研发投入")
        assert sorted(titles("贴息")) == ["创业担保贷款贴息", "稳岗返还"]

    def test_word_at_the_end_of_the_full_text_is_found(self, library):
        library("普惠金融", full_text="首贷户可申请贷款")
        assert titles("贷款") == ["普惠金融"]

    def test_longer_chinese_substring_is_found(self, library):
        library("关于支持专精特新中小企业高质量发展的若干措施", full_text="对首次认定的企业给予一次性奖励。")
        library("外贸企业稳订单拓市场", full_text="支持参加境外展会。")
        assert titles("专精特新中小企业") == ["关于支持专精特新中小企业高质量发展的若干措施"]
        assert titles("一次性奖励") == ["关于支持专精特新中小企业高质量发展的若干措施"]

    def test_single_character_word_is_found(self, library):
        library("房租减免", full_text="减免三个月房租")
        library("人才公寓", full_text="提供住房")
        assert titles("租") == ["房租减免"]

    def test_latin_words_match_regardless_of_case(self, library):
        library("支持企业开展AI应用", full_text="人工智能")
        assert titles("ai") == ["支持企业开展AI应用"]
        assert titles("Ai应用") == ["支持企业开展AI应用"]

    def test_no_match_gives_an_empty_result(self, library):
        library("创业担保贷款贴息", full_text="小微企业")
        assert found("跨境电商") == []
        assert found("跨境") == []
        assert found("瞿") == []
        for text in ("跨境电商", "跨境", "瞿"):
            assert list(search_policies(Policy.objects.all(), text).values_list("id", "rank")) == []

    def test_empty_query_leaves_the_queryset_as_it_is(self, library):
        library("创业担保贷款贴息")
        assert len(found("   ")) == 1


@pytest.mark.django_db
class TestDocumentNumber:
    def test_full_document_number_finds_the_policy(self, library):
        library("创业担保贷款贴息", document_number="河西政办发〔2026〕12号")
        library("稳岗返还", document_number="河西政办发〔2026〕13号")
        assert titles("河西政办发〔2026〕12号") == ["创业担保贷款贴息"]

    def test_part_of_the_document_number_finds_the_policy(self, library):
        library("创业担保贷款贴息", document_number="河西政办发〔2026〕12号")
        library("稳岗返还", document_number="河西人社发〔2025〕12号")
        assert titles("〔2026〕12号") == ["创业担保贷款贴息"]
        assert sorted(titles("12号")) == ["创业担保贷款贴息", "稳岗返还"]

    def test_document_number_match_ranks_above_a_mention_in_another_policys_text(self, library):
        library("实施细则", full_text="根据河西政办发〔2026〕12号文件制定本细则。")
        library("创业担保贷款贴息", document_number="河西政办发〔2026〕12号")
        assert titles("〔2026〕12号") == ["创业担保贷款贴息", "实施细则"]


@pytest.mark.django_db
class TestRanking:
    def test_title_match_ranks_above_full_text_only_matches(self, library):
        library("稳岗返还", full_text="贴息" * 30 + "。创业担保贷款贴息政策另行发布。")
        library("财政贴息办法", full_text="详见附件。")
        library("人才公寓", summary="符合条件的给予贴息。")
        result = found("贴息")
        assert [p.title for p in result][0] == "财政贴息办法"
        assert result[0].rank > result[1].rank >= result[2].rank

    def test_title_match_ranks_first_for_longer_words_too(self, library):
        library("稳岗返还", full_text="创业担保贷款" * 20)
        library("创业担保贷款管理办法")
        assert titles("创业担保贷款") == ["创业担保贷款管理办法", "稳岗返还"]

    def test_more_words_in_the_title_rank_higher(self, library):
        library("小微企业贷款", full_text="贴息")
        library("小微企业贷款贴息")
        assert titles("贷款 贴息") == ["小微企业贷款贴息", "小微企业贷款"]


@pytest.mark.django_db
class TestSeveralWords:
    def test_every_word_must_match(self, library):
        library("创业担保贷款贴息", full_text="面向小微企业")
        library("科技贷款风险补偿", full_text="面向科技型企业")
        library("小微企业房租减免")
        assert titles("贷款 小微企业") == ["创业担保贷款贴息"]
        assert titles("贷款　小微") == ["创业担保贷款贴息"]  # a full-width space separates words too

    def test_words_may_match_in_different_fields(self, library):
        library("创业担保贷款贴息", document_number="河西政办发〔2026〕12号", full_text="按季度拨付")
        assert titles("〔2026〕12号 拨付 贴息") == ["创业担保贷款贴息"]


@pytest.mark.django_db
class TestSpecialCharacters:
    QUERIES = ['"', '""', "'", "*", "贴*", "%", "_", "\\", "贴息 OR 减免", "NEAR(贴息 减免)", "贴息 NOT",
               "AND", "(贴息", "title:贴息", "^贴息", "贴息+", "{title}: 贴", "贷款 -贴息", '"贴息" "减免"']

    @pytest.mark.parametrize("query", QUERIES)
    def test_query_with_special_characters_does_not_fail(self, library, query):
        library("创业担保贷款贴息", full_text="房租减免")
        search_policies(Policy.objects.all(), query).count()
        list(search_policies(Policy.objects.all(), query))

    def test_fts_operators_are_searched_as_words(self, library):
        library("创业担保贷款贴息", full_text="房租减免")
        library("OR 与 NEAR 的说明", full_text="贴息 OR 减免 NEAR(贴息 减免)")
        assert titles("贴息 OR 减免") == ["OR 与 NEAR 的说明"]
        assert titles("NEAR(贴息") == ["OR 与 NEAR 的说明"]
        assert titles("贴息 NOT") == []

    def test_like_wildcards_are_literal(self, library):
        library("创业担保贷款贴息", full_text="贴息比例")
        library("增值税留抵退税", full_text="退税比例100%以内，按_分档")
        assert titles("%") == ["增值税留抵退税"]
        assert titles("_") == ["增值税留抵退税"]
        assert titles("贴%") == []
        assert titles("100%") == ["增值税留抵退税"]

    def test_quotes_are_part_of_the_word(self, library):
        library("“专精特新”企业奖励", full_text='即所谓"小巨人"企业')
        library("小巨人培育", full_text="培育")
        assert titles('"小巨人"') == ["“专精特新”企业奖励"]
        assert titles("“专精特新”") == ["“专精特新”企业奖励"]


@pytest.mark.django_db
class TestScope:
    def test_results_stay_inside_the_given_queryset(self, library):
        first = library("创业担保贷款贴息")
        library("科技贷款贴息")
        scoped = Policy.objects.filter(pk=first.pk)
        assert titles("贴息", scoped) == ["创业担保贷款贴息"]
        assert titles("贷款贴息", scoped) == ["创业担保贷款贴息"]
        assert titles("息", scoped) == ["创业担保贷款贴息"]

    def test_search_results_can_be_filtered_and_counted(self, library):
        library("创业担保贷款贴息", document_number="甲")
        library("科技贷款贴息", document_number="乙")
        result = search_policies(Policy.objects.all(), "贴息").filter(document_number="乙")
        assert result.count() == 1
        assert [p.title for p in result] == ["科技贷款贴息"]

    def test_policy_list_searches_within_what_the_user_may_see(self, cast, library):
        draft = library("创业担保贷款贴息")
        published = library("科技贷款贴息")
        Policy.objects.filter(pk=published.pk).update(status=Policy.Status.PUBLISHED)
        assert {p.pk for p in policy_list(cast.users.staff, filters={"q": "贴息"})} == {draft.pk, published.pk}
        assert [p.pk for p in policy_list(cast.users.ent1, filters={"q": "贴息"})] == [published.pk]


@pytest.mark.django_db
class TestIndexFollowsChanges:
    def test_edited_text_is_found_and_the_old_text_is_not(self, cast, library):
        policy = library("创业担保贷款贴息", full_text="按季度拨付")
        save_policy(actor=cast.users.staff, policy=policy, data={"title": "稳岗返还", "full_text": "按年度拨付"})
        assert titles("贴息") == []
        assert titles("按季度") == []
        assert titles("稳岗") == ["稳岗返还"]
        assert titles("按年度") == ["稳岗返还"]

    def test_status_change_keeps_the_policy_findable(self, library):
        policy = library("创业担保贷款贴息")
        Policy.objects.filter(pk=policy.pk).update(status=Policy.Status.PUBLISHED)
        assert titles("担保贷款") == ["创业担保贷款贴息"]

    def test_deleted_policy_is_no_longer_found(self, library):
        policy = library("创业担保贷款贴息")
        library("科技贷款贴息")
        policy.delete()
        assert titles("贴息") == ["科技贷款贴息"]
        assert titles("担保贷款") == []

    @pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS5 triggers exist on SQLite only")
    def test_installing_again_rebuilds_an_index_whose_triggers_were_dropped(self, library):
        library("创业担保贷款贴息")
        with connection.cursor() as cursor:
            for name in search.SQLITE_TRIGGERS:
                cursor.execute(f"DROP TRIGGER {name}")
        library("科技贷款贴息")  # not indexed: no trigger
        assert titles("科技贷款") == []
        search.install_index(connection)
        assert titles("科技贷款") == ["科技贷款贴息"]
        assert sorted(titles("贴息")) == ["创业担保贷款贴息", "科技贷款贴息"]

    def test_two_character_word_starting_many_trigrams_is_still_found(self, library, monkeypatch):
        monkeypatch.setattr(search, "MAX_TRIGRAMS", 1)
        library("贴息甲", full_text="贴息乙 贴息丙")
        library("减免")
        assert titles("贴息") == ["贴息甲"]


@pytest.mark.django_db
class TestHighlighting:
    def test_snippet_marks_the_matches(self, library):
        policy = library("创业担保贷款贴息", full_text="……" * 100 + "对符合条件的小微企业给予贷款贴息，贴息比例50%。")
        text = snippet(policy, "贴息")
        assert text.count("<mark>贴息</mark>") == 2
        assert text.startswith("…")
        assert len(text) < 200

    def test_snippet_escapes_markup_in_the_policy(self, library):
        policy = library("贴息", full_text="<script>alert('贴息')</script> & <b>贴息</b>")
        text = snippet(policy, "贴息")
        assert "<script>" not in text and "<b>" not in text
        assert "&lt;script&gt;alert(&#x27;<mark>贴息</mark>&#x27;)&lt;/script&gt; &amp; &lt;b&gt;" in text

    def test_markup_in_the_query_is_escaped_too(self, library):
        policy = library("说明", full_text="见<script>标签")
        text = snippet(policy, "<script>")
        assert text == "见<mark>&lt;script&gt;</mark>标签"

    def test_snippet_without_a_match_in_the_text_starts_at_the_summary(self, library):
        policy = library("创业担保贷款贴息", summary="面向小微企业", full_text="正文")
        assert snippet(policy, "贴息") == "面向小微企业"

    def test_highlight_marks_every_word_in_a_title(self, library):
        policy = library("<小微>企业贷款贴息")
        assert highlight(policy.title, "贴息 小微") == "&lt;<mark>小微</mark>&gt;企业贷款<mark>贴息</mark>"
        assert highlight(policy.title, "") == "&lt;小微&gt;企业贷款贴息"


@pytest.mark.django_db
class TestQuerySyntaxCharacters:
    TEXTS = {"A&B 合作": "&B", "甲|乙 两类": "|乙", "!重要 提示": "!重", "备注:补贴": "注:",
             "路径\\目录": "\\目", "O'Neil 奖": "O'N", "比例 50%：30%": "%：", "范围 (1-2)": "1-"}

    def test_tsquery_and_like_syntax_in_a_word_is_searched_for_literally(self, library):
        for title in self.TEXTS:
            library(title)
        for title, word in self.TEXTS.items():
            assert titles(word) == [title], word
        assert titles("'&'") == []
        assert titles("&|!:") == []

    def test_results_can_be_used_inside_a_subquery(self, library):
        first = library("创业担保贷款贴息")
        library("稳岗返还")
        matching = search_policies(Policy.objects.all(), "贴息 担保贷款").values("pk")
        assert list(Policy.objects.filter(pk__in=matching).values_list("pk", flat=True)) == [first.pk]


def _bulk_policies(cast, count):
    benefit = DictItem.objects.get(kind="benefit_type", code="finance")
    Policy.objects.bulk_create(
        Policy(federation=cast.dept1.federation, department=cast.dept1, benefit_type=benefit,
               title=f"第{i}号 普通政策", document_number=f"河西政办发〔2026〕{i}号",
               summary="各部门要加强政策宣传解读。", full_text="本办法自印发之日起施行。" * 5)
        for i in range(count))


def _plan(queryset):
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the bigram index exists on PostgreSQL only")
@pytest.mark.django_db
class TestPostgresBigramIndex:
    def test_two_character_word_is_looked_up_in_the_bigram_index(self, cast, library):
        _bulk_policies(cast, 300)
        library("创业担保贷款贴息")
        library("稳岗返还", full_text="企业申请贴息的，按季度拨付。")
        query = search_policies(Policy.objects.all(), "贴息")
        assert "policy_search_bigrams_gin" in _plan(query)
        assert sorted(p.title for p in query) == ["创业担保贷款贴息", "稳岗返还"]

    def test_every_word_of_two_or_more_characters_uses_the_index(self, cast, library):
        _bulk_policies(cast, 300)
        library("创业担保贷款贴息", document_number="河西人社发〔2025〕7号")
        plan = _plan(search_policies(Policy.objects.all(), "〔2025〕7号 担保贷款"))
        assert "policy_search_bigrams_gin" in plan
        assert titles("〔2025〕7号 担保贷款") == ["创业担保贷款贴息"]

    def test_punctuation_of_a_document_number_is_indexed(self, cast, library):
        _bulk_policies(cast, 5)  # 〔2026〕0号 … 〔2026〕4号
        library("创业担保贷款贴息", document_number="河西人社发〔2025〕7号")
        assert titles("社发〔") == ["创业担保贷款贴息"]
        assert titles("〕7") == ["创业担保贷款贴息"]
        assert titles("〔2025〕7号") == ["创业担保贷款贴息"]
        assert len(titles("〔2026〕")) == 5

    def test_bigrams_spanning_two_fields_do_not_make_a_match(self, library):
        library("补贴", document_number="息")  # "补贴 息": the pieces of 贴息 are only across the fields
        library("贴", summary="息")
        assert titles("贴息") == []
        assert titles("补贴息") == []

    def test_edits_made_outside_the_orm_are_indexed(self, library):
        policy = library("创业担保贷款贴息")
        with connection.cursor() as cursor:
            cursor.execute("UPDATE policies_policy SET title = %s WHERE id = %s", ["人才公寓租赁补贴", policy.pk])
        assert titles("贴息") == []
        assert titles("人才") == ["人才公寓租赁补贴"]

    def test_migration_fills_rows_that_were_written_without_the_trigger(self, library):
        migration = importlib.import_module("shanglian.policies.migrations.0004_search_bigrams")
        library("创业担保贷款贴息")
        with connection.cursor() as cursor:
            cursor.execute("UPDATE policies_policy SET search_bigrams = '{}'")
        assert titles("贴息") == []
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # ALTER TABLE refuses pending deferred checks
            for statement in migration.INSTALL:  # idempotent: the same statements as the migration
                cursor.execute(statement)
        assert titles("贴息") == ["创业担保贷款贴息"]
