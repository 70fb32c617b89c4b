-- Every ISO week from the first to the last week that has an accepted file, gaps included (so
-- published tables show a week in which nobody reported), never outside the reporting window:
-- a rejected file (bien_che_2099-W01.csv) never shapes the dimension.
with

accepted_weeks as (

    select week_start from {{ ref('stg_raw__files') }}
    where
        is_accepted
        and week_start between {{ window_first_monday() }} and {{ window_last_monday() }}

),

bounds as (

    select
        min(week_start) as first_monday,
        max(week_start) as last_monday

    from accepted_weeks

),

mondays as (

    {{ mondays_between('(select first_monday from bounds)', '(select last_monday from bounds)') }}

)

select
    {{ iso_week_label('week_start') }} as week,
    week_start,
    cast(week_start + 6 as date) as week_end,
    {{ week_deadline('week_start') }} as deadline_at

from mondays
where week_start is not null
