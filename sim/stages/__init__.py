"""The stages of a problem's life, one module each, as free functions over `sim.state`.

A city day (`CityModel.step`) runs them in the order of ODD §3: calendar programmes;
`staffing` (servers today); `turnover` (people come and go); `arise` (needs arise);
`latent` (reported, found, solved privately or lapsed); `dispatch` (route, first contact);
`service` (queues run); `referral` (to departments, whistle); `closure` (verification,
solving, callback, and every other ending); `calls`; `people` (satisfaction, trust,
willingness, expectations); weekly `staffing` of volunteers. `setup` builds the state a run
starts from; `textbook` is the M/M/c queue's own short day.
"""
